package io.tributary.job;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.testing.LifecycleDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job lifecycle wired by hand on a {@link LifecycleDatabase} and a clock, as Spring wires it:
 * for service-level tests of the queue, the worker, leases and the sweep, and of what enqueues
 * through them.
 */
public final class Lifecycle {

  public static final Duration HEARTBEAT = Duration.ofSeconds(10);
  public static final Duration ABANDONED_AFTER = Duration.ofSeconds(60);

  public final JobRepository jobs;
  public final JobLogRepository logs;
  public final JobLeases leases;
  public final JobQueue queue;
  private final Clock clock;

  public Lifecycle(LifecycleDatabase database, Clock clock) {
    this.clock = clock;
    jobs =
        new JobRepository(
            database.jdbc,
            JsonMapper.builder().build(),
            database.transactions,
            database.asyncCommit,
            new io.tributary.event.EventLog(database.jdbc, JsonMapper.builder().build(), clock));
    logs = new JobLogRepository(database.jdbc);
    leases = new JobLeases(jobs, clock, HEARTBEAT, ABANDONED_AFTER);
    queue = new JobQueue(jobs, leases, clock);
  }

  /**
   * A worker of one slot that claims only the jobs of {@code region}, running them with {@code
   * handler}.
   */
  public JobWorker worker(UUID region, JobHandler handler) {
    return new JobWorker(
        jobs,
        logs,
        leases,
        java.util.List.of(handler),
        clock,
        new SimpleMeterRegistry(),
        1,
        region.toString(),
        10);
  }
}
