package io.tributary.job;

import java.util.UUID;

/**
 * How an attempt at a job ended, as its {@link JobHandler} reports it; the worker makes the
 * matching move.
 */
public sealed interface Outcome {

  /** RUNNING → SUCCEEDED. */
  record Succeeded() implements Outcome {}

  /**
   * RUNNING → FAILED, or back to PENDING when {@code transient} and the kind's {@link RetryPolicy}
   * allows another attempt.
   *
   * @param failureType {@code config_error}, {@code transient_error} or {@code system_error}
   */
  record Failed(String failureType, String reason, boolean isTransient) implements Outcome {}

  /** RUNNING → CANCELLED, with the reason logged and shown on the job. */
  record Cancelled(String reason) implements Outcome {}

  /** The lease was lost: another worker holds the job now, and this attempt makes no move. */
  record TakenOver() implements Outcome {}

  static Outcome succeeded() {
    return new Succeeded();
  }

  /**
   * What a job's user is told of a failure nobody anticipated: its message may carry anything (SQL,
   * a host, part of a configuration), so it stays in the server's log, which this points to.
   */
  static Failed internalError(UUID job, RuntimeException e) {
    return new Failed(
        "system_error",
        "Tributary failed internally ("
            + e.getClass().getSimpleName()
            + "); the server log has the details under job "
            + job
            + ". Run it again; if it keeps failing, report it to the operator",
        false);
  }
}
