package io.tributary.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where a job is in its life. The allowed moves are the only ones {@link JobRepository} makes, each
 * as a compare-and-set update that names the state it leaves: a move the table no longer allows
 * (the job finished, or another worker owns it now) changes nothing.
 *
 * <pre>
 *   PENDING ──claim──► RUNNING ──► SUCCEEDED | FAILED | CANCELLED
 *      │  ▲               │
 *      │  └──retry/sweep──┘
 *      └──cancel──► CANCELLED
 * </pre>
 */
public enum JobStatus {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("running")
  RUNNING,
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED,
  @JsonProperty("cancelled")
  CANCELLED;

  /** The name in the API and in the {@code jobs.status} column. */
  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The status named {@code value} in the API or the database. */
  public static Optional<JobStatus> of(String value) {
    return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
  }

  /** Succeeded, failed or cancelled: nothing moves it again. */
  public boolean finished() {
    return next().isEmpty();
  }

  /** The statuses a job in this one may move to. */
  public Set<JobStatus> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(RUNNING, CANCELLED);
      // back to pending: a retry after a transient failure, or the sweep handing a dead worker's
      // job to another
      case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, PENDING);
      case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobStatus.class);
    };
  }

  public boolean canMoveTo(JobStatus to) {
    return next().contains(to);
  }

  /**
   * @throws IllegalStateException when the lifecycle has no such move: a bug of the caller, never
   *     the table's state
   */
  void requireMoveTo(JobStatus to) {
    if (!canMoveTo(to)) {
      throw new IllegalStateException("A job cannot move from " + value() + " to " + to.value());
    }
  }
}
