package io.tributary.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Claims queued jobs and runs them, up to {@code tributary.worker.concurrency} at once on this
 * node: holds each one's lease while its {@link JobHandler} runs, tells the handler to stop when a
 * cancel is requested or the lease is lost, and makes the move its outcome calls for, retrying
 * transient failures by the kind's {@link RetryPolicy}. Only syncs are queued today.
 */
@Component
@ConditionalOnProperty(
    name = "tributary.worker.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class JobWorker {

  private static final Logger log = LoggerFactory.getLogger(JobWorker.class);
  private static final JobKind KIND = JobKind.SYNC;
  private static final Duration STOP_CHECK = Duration.ofSeconds(1);

  /**
   * The queue depth gauge ({@code tributary_sync_queued} in Prometheus), which the Helm chart's
   * autoscaler reads.
   */
  public static final String QUEUED_GAUGE = "tributary." + KIND.value() + ".queued";

  private final JobRepository jobs;
  private final JobLogRepository logs;
  private final JobLeases leases;
  private final JobHandler handler;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Semaphore capacity;
  private final UUID region;
  private final int perOrganization;

  /** Whether a caller of {@link #poll} is claiming, and whether another asked it to look again. */
  private final AtomicBoolean claiming = new AtomicBoolean();

  private final AtomicBoolean claimAgain = new AtomicBoolean();

  JobWorker(
      JobRepository jobs,
      JobLogRepository logs,
      JobLeases leases,
      List<JobHandler> handlers,
      Clock clock,
      MeterRegistry meters,
      @Value("${tributary.worker.concurrency:2}") int concurrency,
      @Value("${tributary.worker.region:}") String region,
      @Value("${tributary.worker.max-per-organization:10}") int perOrganization) {
    this.jobs = jobs;
    this.logs = logs;
    this.leases = leases;
    this.handler =
        handlers.stream()
            .filter(h -> h.kind() == KIND)
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("No handler runs " + KIND.value() + " jobs"));
    this.clock = clock;
    this.meters = meters;
    this.capacity = new Semaphore(concurrency);
    this.region = region.isBlank() ? null : UUID.fromString(region);
    this.perOrganization = perOrganization;
    meters.gauge(
        "tributary." + KIND.value() + ".running",
        capacity,
        free -> concurrency - free.availablePermits());
    // Queue depth, the same figure on every worker: what an autoscaler adds workers on (the Helm
    // chart's HPA). Read at scrape time; a scrape while the database is away reports no value.
    Gauge.builder(QUEUED_GAUGE, this, JobWorker::queuedNow)
        .description("Pending jobs due now, across all workers")
        .strongReference(true)
        .register(meters);
  }

  private double queuedNow() {
    try {
      return jobs.dueSyncs(clock.instant());
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * Starts as many due jobs as there are free slots, each on a thread of its own. The schedule, the
   * wake-up and every job that ends call this, often at once: one caller claims, in batches of the
   * free slots, and the others leave it a note to claim again when it is done, so that a busy node
   * takes its turns at the claim lock one at a time rather than one per finished job.
   */
  @Scheduled(fixedDelayString = "${tributary.worker.poll:1s}")
  void poll() {
    claimAgain.set(true);
    while (claimAgain.get() && claiming.compareAndSet(false, true)) {
      try {
        claimAgain.set(false);
        List<JobRepository.Claimed> batch;
        while (!(batch = claimIfFree(capacity.availablePermits())).isEmpty()) {
          batch.forEach(this::start);
        }
      } finally {
        claiming.set(false);
      }
    }
  }

  private void start(JobRepository.Claimed job) {
    Thread.ofPlatform()
        .name(KIND.value() + "-" + job.id())
        .start(
            () -> {
              try {
                attempt(job);
              } finally {
                capacity.release();
              }
              // a freed slot takes the next queued job now rather than at the next poll
              poll();
            });
  }

  /**
   * Runs every job due by the clock's now, one after the other on the calling thread, within this
   * node's capacity: what the poll does, for tests that move the clock instead of waiting. Returns
   * how many ran.
   */
  public int runDueNow() {
    int ran = 0;
    List<JobRepository.Claimed> claimed;
    while (!(claimed = claimIfFree(1)).isEmpty()) {
      try {
        attempt(claimed.getFirst());
        ran++;
      } finally {
        capacity.release();
      }
    }
    return ran;
  }

  /**
   * Up to {@code max} claimed jobs, each holding one slot of capacity; none (and no slot held) when
   * nothing is due or no slot is free.
   */
  private List<JobRepository.Claimed> claimIfFree(int max) {
    int slots = 0;
    while (slots < max && capacity.tryAcquire()) {
      slots++;
    }
    if (slots == 0) {
      return List.of();
    }
    List<JobRepository.Claimed> claimed = List.of();
    try {
      claimed = jobs.claim(leases.owner(), region, perOrganization, clock.instant(), slots);
      return claimed;
    } finally {
      capacity.release(slots - claimed.size());
    }
  }

  private void attempt(JobRepository.Claimed claimed) {
    long started = System.nanoTime();
    try (JobLeases.Lease lease = leases.hold(claimed.id(), claimed.worker())) {
      RunningJob job = new RunningJob(claimed, claimed.worker(), jobs, logs, clock, lease);
      var watch =
          leases.every(
              STOP_CHECK,
              () -> {
                job.flushLog();
                job.checkStop();
              });
      Outcome outcome;
      try {
        outcome = handler.run(job);
      } catch (RuntimeException e) {
        log.error("{} job {} failed", KIND.value(), job.id(), e);
        outcome = Outcome.internalError(job.id(), e);
      } finally {
        watch.cancel(false);
      }
      try {
        complete(job, outcome);
      } finally {
        try {
          job.flushLog(); // lines of an attempt that ended without finishing its job
        } catch (RuntimeException e) {
          log.warn(
              "{} job {}'s last log lines were not written: {}",
              KIND.value(),
              job.id(),
              e.toString());
        }
      }
    } finally {
      meters
          .timer("tributary." + KIND.value() + ".attempt.duration")
          .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  private void complete(RunningJob job, Outcome outcome) {
    switch (outcome) {
      case Outcome.Succeeded ignored -> finish(job, JobStatus.SUCCEEDED, null, null);
      case Outcome.Cancelled cancelled ->
          finish(job, JobStatus.CANCELLED, null, cancelled.reason());
      case Outcome.Failed failed
          when failed.isTransient() && KIND.retryPolicy().retries(job.attempt()) -> {
        Duration backoff = KIND.retryPolicy().backoffAfter(job.attempt());
        if (jobs.retryLater(
            job.id(),
            job.worker(),
            clock.instant().plus(backoff),
            failed.failureType(),
            failed.reason())) {
          job.log("Retrying in " + backoff.toSeconds() + " s");
        } else if (jobs.cancelRequested(job.id())) {
          job.log(failed.reason());
          finish(job, JobStatus.CANCELLED, null, "Cancelled on request");
        }
      }
      case Outcome.Failed failed ->
          finish(job, JobStatus.FAILED, failed.failureType(), failed.reason());
      case Outcome.TakenOver ignored ->
          log.warn(
              "{} job {} was taken over by another worker; this attempt stopped",
              KIND.value(),
              job.id());
    }
  }

  private void finish(RunningJob job, JobStatus status, String failureType, String reason) {
    if (reason != null) {
      job.log(reason);
    }
    job.log("Job " + status.value());
    job.flushLog(); // the log is whole by the time the job shows as finished
    meters
        .counter(
            "tributary." + KIND.value() + ".jobs",
            "status",
            status.value(),
            "failure_type",
            failureType == null ? "none" : failureType)
        .increment();
    jobs.finish(job.id(), job.worker(), status, failureType, reason, clock.instant());
  }
}
