package io.tributary.common;

import java.time.Duration;

/** The caller went over a rate limit; it may try again after {@link #retryAfter()}. */
public final class TooManyRequestsException extends TributaryException {

  private final Duration retryAfter;

  public TooManyRequestsException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public boolean retriable() {
    return true;
  }
}
