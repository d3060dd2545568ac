package io.tributary.common;

/**
 * The server cannot answer right now (starting, stopping, its database away); the same call may
 * work later.
 */
public final class UnavailableException extends TributaryException {

  public UnavailableException(String message) {
    super(message);
  }

  @Override
  public boolean retriable() {
    return true;
  }
}
