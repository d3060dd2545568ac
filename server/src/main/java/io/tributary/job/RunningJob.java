package io.tributary.job;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link JobHandler} sees of the job it runs: its identity, its log, its statistics, and
 * when to stop.
 */
public final class RunningJob {

  private final JobRepository.Claimed claimed;
  private final String worker;
  private final JobRepository jobs;
  private final JobLogRepository logs;
  private final Clock clock;
  private final JobLeases.Lease lease;
  private final AtomicReference<Runnable> stop = new AtomicReference<>(() -> {});

  RunningJob(
      JobRepository.Claimed claimed,
      String worker,
      JobRepository jobs,
      JobLogRepository logs,
      Clock clock,
      JobLeases.Lease lease) {
    this.claimed = claimed;
    this.worker = worker;
    this.jobs = jobs;
    this.logs = logs;
    this.clock = clock;
    this.lease = lease;
  }

  public UUID id() {
    return claimed.id();
  }

  public UUID organizationId() {
    return claimed.organizationId();
  }

  public UUID connectionId() {
    return claimed.connectionId();
  }

  /** 1 for the first attempt. */
  public int attempt() {
    return claimed.attempts();
  }

  /** The worker id holding the job. */
  public String worker() {
    return worker;
  }

  public void log(String line) {
    logs.log(claimed.id(), line, clock.instant());
  }

  public void saveStats(JsonNode stats) {
    jobs.saveStats(claimed.id(), stats);
  }

  /**
   * True once this worker lost the job to another: whatever the attempt does now, it must not
   * finish it.
   */
  public boolean leaseLost() {
    return lease.lost();
  }

  /**
   * Called (on another thread) when a cancel is requested or the lease is lost; replaces an earlier
   * callback.
   */
  public void onStop(Runnable callback) {
    stop.set(callback);
  }

  /**
   * Checks once whether the job should stop, and tells the handler; the worker calls it every
   * second.
   */
  void checkStop() {
    if (lease.lost() || jobs.cancelRequested(claimed.id())) {
      stop.get().run();
    }
  }
}
