package io.tributary.job;

import java.time.Duration;

/**
 * How often a job is attempted and how long it waits between attempts: the worker consults it after
 * a transient failure, the abandoned-job sweep after a worker died. Backoff doubles per attempt:
 * with a first backoff of 10 s, the second attempt waits 10 s, the third 20 s.
 *
 * @param maxAttempts attempts the queue makes in all, the first one included; 0 for a job that runs
 *     where it was started and is never queued
 * @param firstBackoff the wait before the second attempt
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff) {

  /** Run once, where it was started; never queued again. */
  public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 0 || firstBackoff.isNegative()) {
      throw new IllegalArgumentException("maxAttempts and firstBackoff must not be negative");
    }
  }

  public static RetryPolicy maxAttempts(int attempts) {
    return new RetryPolicy(attempts, Duration.ZERO);
  }

  public RetryPolicy withBackoff(Duration first) {
    return new RetryPolicy(maxAttempts, first);
  }

  /** Whether a job that has made {@code attemptsMade} attempts gets another. */
  public boolean retries(int attemptsMade) {
    return attemptsMade < maxAttempts;
  }

  /** The wait after attempt number {@code attemptsMade} (1 for the first) failed. */
  public Duration backoffAfter(int attemptsMade) {
    return firstBackoff.multipliedBy(1L << Math.min(30, Math.max(0, attemptsMade - 1)));
  }
}
