package io.tributary.common;

/**
 * No valid credentials: a missing, expired or revoked token, wrong client credentials. One message
 * for all.
 */
public final class UnauthorizedException extends TributaryException {

  public UnauthorizedException() {
    super("Invalid authentication credentials");
  }
}
