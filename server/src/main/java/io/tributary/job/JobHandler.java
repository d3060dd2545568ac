package io.tributary.job;

/**
 * Runs one claimed attempt of the jobs of its {@link #kind()}: the worker has claimed the job,
 * holds its lease and heartbeats it; the handler does the work and says how it ended. It makes no
 * status move itself.
 */
public interface JobHandler {

  JobKind kind();

  /**
   * Called on a platform thread of its own, once per claim. Throwing an unexpected exception fails
   * the job with a {@code system_error} that points to the server log; {@link RunningJob#onStop}
   * tells when to give up early.
   */
  Outcome run(RunningJob job);
}
