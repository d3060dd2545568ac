package io.tributary.job;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The one lease mechanism of every job, whatever its kind: the node running a job is named in
 * {@code jobs.worker} and heartbeats it every {@code tributary.heartbeat}; every node sweeps jobs
 * silent for {@code tributary.abandoned-after} (their node died) back to the queue or to failed, by
 * their kind's {@link RetryPolicy}. A node whose heartbeat finds the job no longer its own has lost
 * the lease and must stop: every move it would make is fenced by its worker id and would change
 * nothing anyway.
 */
@Component
public class JobLeases {

  private static final Logger log = LoggerFactory.getLogger(JobLeases.class);

  private final JobRepository jobs;
  private final Clock clock;
  private final Duration heartbeat;
  private final Duration abandonedAfter;
  private final String owner;
  private final ScheduledExecutorService ticks =
      Executors.newScheduledThreadPool(1, Thread.ofVirtual().name("job-lease-", 0).factory());

  JobLeases(
      JobRepository jobs,
      Clock clock,
      @Value("${tributary.heartbeat:10s}") Duration heartbeat,
      @Value("${tributary.abandoned-after:60s}") Duration abandonedAfter) {
    this.jobs = jobs;
    this.clock = clock;
    this.heartbeat = heartbeat;
    this.abandonedAfter = abandonedAfter;
    this.owner =
        hostName()
            + "/"
            + ProcessHandle.current().pid()
            + "/"
            + UUID.randomUUID().toString().substring(0, 8);
  }

  /** This node's worker id, {@code host/pid/random}: what fences its moves of the jobs it holds. */
  public String owner() {
    return owner;
  }

  /** Heartbeats {@code jobId}, held by {@code worker} on this node, until the lease is closed. */
  Lease hold(UUID jobId, String worker) {
    return new Lease(jobId, worker);
  }

  /**
   * Runs {@code task} every {@code period} on the lease thread, until cancelled: short checks only.
   */
  ScheduledFuture<?> every(Duration period, Runnable task) {
    return ticks.scheduleAtFixedRate(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            // a failed tick (the database away for a moment) must not end the schedule: the next
            // one tries again
            log.warn("A job lease check failed: {}", e.toString());
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Scheduled(fixedDelayString = "${tributary.abandoned-job-sweep:30s}")
  void sweep() {
    int swept = sweepNow();
    if (swept > 0) {
      log.warn("Took back {} job(s) from nodes that stopped heartbeating", swept);
    }
  }

  /**
   * Sweeps abandoned jobs as of the clock's now: what the schedule does, for tests that move the
   * clock.
   */
  public int sweepNow() {
    Instant now = clock.instant();
    int swept = 0;
    for (JobKind kind : JobKind.values()) {
      swept += jobs.sweepAbandoned(kind, now.minus(abandonedAfter), now);
    }
    return swept;
  }

  /** A job this node holds; heartbeats until closed. */
  final class Lease implements AutoCloseable {
    private final UUID jobId;
    private final String worker;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicLong renewedAt = new AtomicLong(System.nanoTime());

    /** Whether the last renewal failed: then only a new one vouches for the lease. */
    private volatile boolean failing;

    private final ScheduledFuture<?> beating;

    private Lease(UUID jobId, String worker) {
      this.jobId = jobId;
      this.worker = worker;
      this.beating = every(heartbeat, this::beat);
    }

    /**
     * Renews the lease now; false once it is lost. A node that cannot reach the database gives the
     * lease up after half of {@code abandoned-after} without a renewal, well before any other node
     * may take the job, rather than writing on as a second runner of it.
     */
    boolean beat() {
      if (lost.get()) {
        return false;
      }
      // counted from before the call: what the database recorded is at least that old, and a
      // call that hangs must not stretch the lease
      long asked = System.nanoTime();
      boolean held;
      try {
        held = jobs.heartbeat(jobId, worker, clock.instant());
      } catch (RuntimeException e) {
        failing = true;
        if (asked - renewedAt.get() > abandonedAfter.toNanos() / 2) {
          lost.set(true);
          log.warn("Gave up job {}: its lease could not be renewed for a while", jobId);
        }
        throw e;
      }
      failing = false;
      if (held) {
        renewedAt.accumulateAndGet(asked, Math::max);
      } else {
        lost.set(true);
      }
      return held;
    }

    /**
     * Whether the job is still this node's for a write outside Tributary's database: a renewal in
     * the last half of {@code abandoned-after} vouches for it (no node may take a job silent for
     * less than all of it), so the heartbeat's own renewals usually answer; after an older one, or
     * a failed one, the lease is renewed now, which fails for a node paused or cut off past it.
     */
    boolean renew() {
      if (lost.get()) {
        return false;
      }
      long age = System.nanoTime() - renewedAt.get();
      if (!failing && age < abandonedAfter.toNanos() / 2) {
        return true;
      }
      try {
        return beat();
      } catch (RuntimeException e) {
        // a blip of the database right after a renewal leaves the lease safe for a while yet
        if (age < abandonedAfter.toNanos() / 4) {
          return true;
        }
        throw e;
      }
    }

    /**
     * True once a heartbeat found the job handed to another worker (or finished by someone else),
     * or gave it up.
     */
    boolean lost() {
      return lost.get();
    }

    /** Marks the lease lost: the job was found to be another worker's. */
    void giveUp() {
      lost.set(true);
    }

    @Override
    public void close() {
      beating.cancel(false);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "worker";
    }
  }
}
