package io.tributary.common;

/**
 * The request is valid but clashes with the current state: a name taken, a workspace inactive, a
 * job running.
 */
public final class ConflictException extends TributaryException {

  public ConflictException(String message) {
    super(message);
  }
}
