package io.tributary.job;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
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

  /** Lines logged since the last {@link #flushLog()}; guarded by itself. */
  private final List<JobLogRepository.Line> unwritten = new ArrayList<>();

  /** Held while lines are written, so that two flushes keep the lines in their order. */
  private final ReentrantLock flushing = new ReentrantLock();

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

  /**
   * Adds a line to the job's log. Lines are written together, about every second while the job runs
   * and before its status moves on, rather than one statement each: a worker killed outright loses
   * at most its last second of lines, never anything the sync committed.
   */
  public void log(String line) {
    synchronized (unwritten) {
      unwritten.add(new JobLogRepository.Line(clock.instant(), line));
    }
  }

  /** Writes the lines logged since the last flush, in their order. */
  void flushLog() {
    flushing.lock();
    try {
      List<JobLogRepository.Line> lines;
      synchronized (unwritten) {
        if (unwritten.isEmpty()) {
          return;
        }
        lines = List.copyOf(unwritten);
        unwritten.clear();
      }
      try {
        logs.append(claimed.id(), lines);
      } catch (RuntimeException e) {
        synchronized (unwritten) {
          unwritten.addAll(0, lines); // the next flush tries them again
        }
        throw e;
      }
    } finally {
      flushing.unlock();
    }
  }

  /** What earlier attempts of the job counted: a retry adds to it. */
  public JsonNode savedStats() {
    return jobs.stats(claimed.id());
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
   * Whether the job is still this worker's, for a write outside Tributary's database (a
   * destination's commit): false when it is another worker's, or when this worker could not tell
   * for too long, and the write must not happen. A lease renewed less than half of {@code
   * tributary.abandoned-after} ago answers without a query: the sweep takes no job silent for less
   * than all of it.
   */
  public boolean renewLease() {
    try {
      return lease.renew();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether this worker still runs the job, to be asked inside the transaction of a write to
   * Tributary's database (a stream's state): the job's row stays locked until that transaction
   * ends, so no other worker takes the job in between.
   */
  public boolean holdsLease() {
    if (lease.lost() || !jobs.stillHeld(claimed.id(), worker)) {
      lease.giveUp();
      return false;
    }
    return true;
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
