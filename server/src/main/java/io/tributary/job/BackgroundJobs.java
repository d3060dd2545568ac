package io.tributary.job;

import io.tributary.connector.ConnectorException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs short background jobs (discovering a catalog) on virtual threads of this node, recording their outcome,
 * with a heartbeat so a job whose node dies is marked failed by any other node instead of staying "running".
 */
@Component
public class BackgroundJobs {

  private static final Logger log = LoggerFactory.getLogger(BackgroundJobs.class);
  private final JobRepository jobs;
  private final Clock clock;
  private final Duration heartbeat;
  private final Duration abandonedAfter;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

  BackgroundJobs(JobRepository jobs, Clock clock, @Value("${tributary.heartbeat:10s}") Duration heartbeat,
      @Value("${tributary.abandoned-after:60s}") Duration abandonedAfter) {
    this.jobs = jobs;
    this.clock = clock;
    this.heartbeat = heartbeat;
    this.abandonedAfter = abandonedAfter;
  }

  /** Records the job as running and runs {@code work} in the background; returns at once. */
  public Job start(Job job, Runnable work) {
    jobs.insertRunning(job, clock.instant());
    var beating = heartbeats.scheduleAtFixedRate(() -> jobs.heartbeat(job.id(), clock.instant()),
        heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    Thread.ofVirtual().name("job-" + job.id()).start(() -> {
      try {
        work.run();
        jobs.finish(job.id(), "succeeded", null, null, clock.instant());
      } catch (ConnectorException e) {
        jobs.finish(job.id(), "failed", e.failureType().name().toLowerCase(), e.getMessage(), clock.instant());
      } catch (RuntimeException e) {
        log.error("Job {} failed", job.id(), e);
        jobs.finish(job.id(), "failed", "system_error", internalError(job.id(), e), clock.instant());
      } finally {
        beating.cancel(false);
      }
    });
    return jobs.find(job.organizationId(), null, job.id()).orElseThrow();
  }

  @Scheduled(fixedDelayString = "${tributary.abandoned-job-sweep:30s}")
  void failAbandoned() {
    int failed = jobs.failAbandoned(clock.instant().minus(abandonedAfter), clock.instant());
    if (failed > 0) {
      log.warn("Marked {} job(s) failed: their node stopped heartbeating", failed);
    }
  }

  /**
   * What a job's user is told of a failure nobody anticipated: its message may carry anything (SQL, a host, part
   * of a configuration), so it stays in the server's log, which this points to.
   */
  public static String internalError(UUID job, RuntimeException e) {
    return "Tributary failed internally (" + e.getClass().getSimpleName() + "); the server log has the details under job "
        + job + ". Run it again; if it keeps failing, report it to the operator";
  }

  public static UUID newId() {
    return UUID.randomUUID();
  }
}
