package io.tributary.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/** What a job does, and how its failures are retried. */
public enum JobKind {
  /**
   * Discovers a source's catalog on the node that was asked, at once; it is never queued, so a node
   * that dies running it leaves it failed.
   */
  @JsonProperty("discover")
  DISCOVER(RetryPolicy.NONE),
  /**
   * Syncs a connection; queued, claimed by any worker, retried on transient failures and after a
   * dead worker.
   */
  @JsonProperty("sync")
  SYNC(RetryPolicy.maxAttempts(3).withBackoff(Duration.ofSeconds(10)));

  private final RetryPolicy retryPolicy;

  JobKind(RetryPolicy retryPolicy) {
    this.retryPolicy = retryPolicy;
  }

  /** The name in the API and in the {@code jobs.kind} column. */
  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  static JobKind of(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
