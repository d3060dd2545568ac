package io.tributary.sync;

import io.tributary.connection.ConnectionRecord;
import io.tributary.connection.ConnectionRepository;
import io.tributary.connectiontemplate.NonBreakingChangesPreference;
import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.engine.CommitPolicy;
import io.tributary.engine.StreamPlan;
import io.tributary.engine.SyncEngine;
import io.tributary.engine.SyncFailure;
import io.tributary.engine.SyncListener;
import io.tributary.engine.StateStore;
import io.tributary.job.BackgroundJobs;
import io.tributary.workspace.WorkspaceStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs queued syncs: claims pending jobs with SKIP LOCKED (each runs on exactly one worker, whichever node), runs
 * the engine, heartbeats while it runs, follows cancellation requests, records per-stream statistics and a log,
 * and retries transient failures with backoff. A worker that dies stops heartbeating and its job goes back to the
 * queue, to be resumed from its last commit elsewhere.
 */
@Component
@ConditionalOnProperty(name = "tributary.worker.enabled", havingValue = "true", matchIfMissing = true)
class SyncWorker {

  private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);
  static final int MAX_ATTEMPTS = 3;
  /** How old a catalog may be when a sync starts (SPEC §11). */
  static final Duration REDISCOVER_AFTER = Duration.ofMinutes(15);

  private final SyncJobRepository queue;
  private final ConnectionRepository connections;
  private final SyncPlanner planner;
  private final JsonMapper json;
  private final Clock clock;
  private final Semaphore capacity;
  private final String name;
  private final UUID region;
  private final Duration heartbeat;
  private final CommitPolicy commits;
  private final MeterRegistry meters;
  private final int perOrganization;
  private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(1, Thread.ofVirtual().factory());

  SyncWorker(SyncJobRepository queue, ConnectionRepository connections, SyncPlanner planner, JsonMapper json,
      Clock clock, MeterRegistry meters, @Value("${tributary.worker.concurrency:2}") int concurrency,
      @Value("${tributary.worker.region:}") String region, @Value("${tributary.heartbeat:10s}") Duration heartbeat,
      @Value("${tributary.worker.commit-records:500000}") long commitRecords,
      @Value("${tributary.worker.commit-interval:1m}") Duration commitInterval,
      @Value("${tributary.worker.max-per-organization:10}") int perOrganization) {
    this.queue = queue;
    this.connections = connections;
    this.planner = planner;
    this.json = json;
    this.clock = clock;
    this.capacity = new Semaphore(concurrency);
    this.region = region.isBlank() ? null : UUID.fromString(region);
    this.heartbeat = heartbeat;
    this.commits = new CommitPolicy(commitRecords, commitInterval);
    this.meters = meters;
    this.perOrganization = perOrganization;
    meters.gauge("tributary.sync.running", capacity, free -> concurrency - free.availablePermits());
    this.name = hostName() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Scheduled(fixedDelayString = "${tributary.worker.poll:1s}")
  void poll() {
    while (capacity.tryAcquire()) {
      var claimed = queue.claim(name, region, perOrganization, clock.instant());
      if (claimed.isEmpty()) {
        capacity.release();
        return;
      }
      UUID id = claimed.get();
      Thread.ofPlatform().name("sync-" + id).start(() -> {
        try {
          run(queue.claimed(id));
        } finally {
          capacity.release();
        }
        // a freed slot takes the next queued sync now rather than at the next poll
        poll();
      });
    }
  }

  private void run(SyncJobRepository.Claimed job) {
    long started = System.nanoTime();
    try {
      attempt(job);
    } finally {
      meters.timer("tributary.sync.attempt.duration").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  private void attempt(SyncJobRepository.Claimed job) {
    // a worker whose heartbeat stopped reaching the database has had its job handed to another: it must stop
    AtomicBoolean lost = new AtomicBoolean();
    var heartbeat = ticks.scheduleAtFixedRate(() -> {
      if (!queue.heartbeat(job.id(), name, clock.instant())) {
        lost.set(true);
      }
    }, this.heartbeat.toMillis(), this.heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    try {
      ConnectionRecord connection = connections.findConnection(job.organizationId(), null, job.connectionId()).orElse(null);
      if (connection == null || !"active".equals(connection.status())) {
        finish(job, "cancelled", null, connection == null ? "The connection was deleted" : "The connection is inactive");
        return;
      }
      planner.rediscoverIfOlder(connection, REDISCOVER_AFTER, clock.instant()).ifPresent(line -> queue.log(job.id(), line, clock.instant()));
      SyncPlanner.Plan plan = planner.plan(connection);
      if (plan.workspace().status() != WorkspaceStatus.ACTIVE) {
        finish(job, "cancelled", null, "The workspace is inactive");
        return;
      }
      SchemaChanges changes = SchemaChanges.of(plan.streams(), plan.missingStreams(), queue.streamSchemas(connection.id()),
          plan.preference());
      if (!changes.breaking().isEmpty()) {
        connections.pause(connection.id(), clock.instant());
        finish(job, "failed", "config_error", "Breaking schema change: " + String.join("; ", changes.breaking())
            + ". The connection is paused: adjust its streams, then set it active again");
        return;
      }
      if (!changes.nonBreaking().isEmpty()) {
        String summary = String.join("; ", changes.nonBreaking());
        if (plan.preference() == NonBreakingChangesPreference.DISABLE) {
          connections.pause(connection.id(), clock.instant());
          finish(job, "failed", "config_error", "The source's schema changed: " + summary
              + ". The connection is paused (non_breaking_changes_preference is disable): review, then set it active again");
          return;
        }
        queue.log(job.id(), "Schema changed: " + summary + " (" + changes.handling(plan.preference()) + ")", clock.instant());
      }
      List<StreamPlan> streams = withRefreshes(connection, changes.streams());
      queue.log(job.id(), "Attempt " + job.attempts() + " on " + name + ": " + streams.size() + " stream(s)", clock.instant());
      Stats stats = new Stats();
      SyncEngine engine = SyncEngine.builder()
          .source(plan.source(), plan.sourceConfig())
          .destination(plan.destination(), plan.destinationConfig())
          .streams(streams)
          .states(new Store(connection.id()))
          .listener(new Listener(job.id(), stats))
          .commitPolicy(commits)
          .build();
      var watch = ticks.scheduleAtFixedRate(() -> {
        if (lost.get() || queue.cancelRequested(job.id())) {
          engine.cancel();
        }
      }, 1, 1, TimeUnit.SECONDS);
      try {
        engine.run();
        queue.saveStats(job.id(), stats.json());
        for (StreamPlan stream : streams) {
          queue.saveStreamSchema(connection.id(), stream.write().stateKey(), stream.write().fields(), clock.instant());
        }
        finish(job, "succeeded", null, null);
      } finally {
        watch.cancel(false);
        queue.saveStats(job.id(), stats.json());
      }
    } catch (SyncFailure.Cancelled cancelled) {
      if (lost.get()) {
        log.warn("Sync job {} was taken over by another worker; this attempt stopped", job.id());
        return;
      }
      finish(job, "cancelled", null, "Cancelled on request");
    } catch (SyncFailure failure) {
      boolean retry = failure.failureType() == FailureType.TRANSIENT_ERROR && job.attempts() < MAX_ATTEMPTS;
      queue.log(job.id(), "Failed: " + failure.getMessage(), clock.instant());
      logConnectorOutput(job, failure);
      if (retry) {
        Duration backoff = Duration.ofSeconds(10L << (job.attempts() - 1));
        queue.retryLater(job.id(), name, clock.instant().plus(backoff), failure.failureType().name().toLowerCase(), failure.getMessage());
        queue.log(job.id(), "Retrying in " + backoff.toSeconds() + " s", clock.instant());
      } else {
        finish(job, "failed", failure.failureType().name().toLowerCase(), failure.getMessage());
      }
    } catch (RuntimeException e) {
      log.error("Sync job {} failed", job.id(), e);
      finish(job, "failed", "system_error", BackgroundJobs.internalError(job.id(), e));
    } finally {
      heartbeat.cancel(false);
    }
  }

  /** What a connector process printed last before it failed (secrets already scrubbed by its runtime). */
  private void logConnectorOutput(SyncJobRepository.Claimed job, Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectorException connector && !connector.output().isEmpty()) {
        queue.log(job.id(), "The connector's last output lines:", clock.instant());
        connector.output().forEach(line -> queue.log(job.id(), "  " + line, clock.instant()));
        return;
      }
    }
  }

  /** Streams refreshed since their last commit read from the start (again, when an earlier attempt died first). */
  private List<StreamPlan> withRefreshes(ConnectionRecord connection, List<StreamPlan> plans) {
    Set<String> refresh = queue.pendingRefreshes(connection.id());
    return plans.stream().map(p -> refresh.contains(p.write().stateKey()) ? p.fromTheStart() : p).toList();
  }

  private void finish(SyncJobRepository.Claimed job, String status, String failureType, String reason) {
    if (reason != null) {
      queue.log(job.id(), reason, clock.instant());
    }
    queue.log(job.id(), "Job " + status, clock.instant());
    meters.counter("tributary.sync.jobs", "status", status, "failure_type", failureType == null ? "none" : failureType).increment();
    queue.finish(job.id(), name, status, failureType, reason, clock.instant());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "worker";
    }
  }

  /** Per-stream counts, shown on the job while it runs. */
  private final class Stats {
    final Map<String, long[]> streams = new ConcurrentHashMap<>();

    long[] of(String stream) {
      return streams.computeIfAbsent(stream, s -> new long[4]);
    }

    JsonNode json() {
      ObjectNode out = json.createObjectNode();
      streams.forEach((stream, c) -> out.putObject(stream).put("records_emitted", c[0]).put("bytes_emitted", c[1])
          .put("records_committed", c[2]).put("bytes_committed", c[3]));
      return out;
    }
  }

  private final class Listener implements SyncListener {
    private final UUID job;
    private final Stats stats;
    private final AtomicLong lastSave = new AtomicLong();

    Listener(UUID job, Stats stats) {
      this.job = job;
      this.stats = stats;
    }

    @Override
    public void emitted(String stream, long records, long bytes) {
      synchronized (stats) {
        long[] c = stats.of(stream);
        c[0] += records;
        c[1] += bytes;
      }
    }

    @Override
    public void committed(String stream, long records, long bytes) {
      synchronized (stats) {
        long[] c = stats.of(stream);
        c[2] += records;
        c[3] += bytes;
      }
      meters.counter("tributary.sync.records.committed").increment(records);
      meters.counter("tributary.sync.bytes.committed").increment(bytes);
      long now = System.nanoTime();
      if (now - lastSave.get() > Duration.ofSeconds(2).toNanos()) {
        lastSave.set(now);
        queue.saveStats(job, stats.json());
      }
    }

    @Override
    public void log(String line) {
      queue.log(job, line, clock.instant());
    }
  }

  /** The runtime's state copy for one connection. */
  private final class Store implements StateStore {
    private final UUID connection;

    Store(UUID connection) {
      this.connection = connection;
    }

    @Override
    public JsonNode load(String stateKey) {
      return queue.loadState(connection, stateKey);
    }

    @Override
    public void save(String stateKey, JsonNode state) {
      queue.saveState(connection, stateKey, state, clock.instant());
      queue.refreshed(connection, stateKey);
    }
  }
}
