package io.tributary.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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

  /** Starts as many due jobs as there are free slots, each on a thread of its own. */
  @Scheduled(fixedDelayString = "${tributary.worker.poll:1s}")
  void poll() {
    Optional<JobRepository.Claimed> claimed;
    while ((claimed = claimIfFree()).isPresent()) {
      JobRepository.Claimed job = claimed.get();
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
  }

  /**
   * Runs every job due by the clock's now, one after the other on the calling thread, within this
   * node's capacity: what the poll does, for tests that move the clock instead of waiting. Returns
   * how many ran.
   */
  public int runDueNow() {
    int ran = 0;
    Optional<JobRepository.Claimed> claimed;
    while ((claimed = claimIfFree()).isPresent()) {
      try {
        attempt(claimed.get());
        ran++;
      } finally {
        capacity.release();
      }
    }
    return ran;
  }

  /**
   * A claimed job holding one slot of capacity, or empty (and no slot held) when there is none or
   * no free slot.
   */
  private Optional<JobRepository.Claimed> claimIfFree() {
    if (!capacity.tryAcquire()) {
      return Optional.empty();
    }
    Optional<JobRepository.Claimed> claimed = Optional.empty();
    try {
      claimed = jobs.claim(leases.owner(), region, perOrganization, clock.instant());
      return claimed;
    } finally {
      if (claimed.isEmpty()) {
        capacity.release();
      }
    }
  }

  private void attempt(JobRepository.Claimed claimed) {
    long started = System.nanoTime();
    try (JobLeases.Lease lease = leases.hold(claimed.id())) {
      RunningJob job = new RunningJob(claimed, leases.owner(), jobs, logs, clock, lease);
      var watch = leases.every(STOP_CHECK, job::checkStop);
      Outcome outcome;
      try {
        outcome = handler.run(job);
      } catch (RuntimeException e) {
        log.error("{} job {} failed", KIND.value(), job.id(), e);
        outcome = Outcome.internalError(job.id(), e);
      } finally {
        watch.cancel(false);
      }
      complete(job, outcome);
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
        jobs.retryLater(
            job.id(),
            job.worker(),
            clock.instant().plus(backoff),
            failed.failureType(),
            failed.reason());
        job.log("Retrying in " + backoff.toSeconds() + " s");
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
