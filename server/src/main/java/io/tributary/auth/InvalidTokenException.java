package io.tributary.auth;

/**
 * A token that must not be honoured. The reason is for logs at debug level only; callers all see
 * one 401.
 */
public class InvalidTokenException extends Exception {
  public InvalidTokenException(String reason) {
    super(reason, null, false, false);
  }
}
