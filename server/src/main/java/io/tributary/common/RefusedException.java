package io.tributary.common;

/**
 * Well-formed input that a rule refuses as a whole, in one sentence rather than per field: a sync
 * mode the stream does not support, a cursor the stream lacks. Field by field problems are a {@link
 * ValidationException}.
 */
public final class RefusedException extends TributaryException {

  public RefusedException(String message) {
    super(message);
  }
}
