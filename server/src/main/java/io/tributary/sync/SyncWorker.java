package io.tributary.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.auth.TenantScope;
import io.tributary.connection.ConnectionRecord;
import io.tributary.connection.ConnectionRefreshRepository;
import io.tributary.connection.ConnectionRepository;
import io.tributary.connection.ConnectionStateRepository;
import io.tributary.connection.ConnectionStateRepository.CommittedWith;
import io.tributary.connectiontemplate.NonBreakingChangesPreference;
import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connector.WriteTarget;
import io.tributary.engine.CommitPolicy;
import io.tributary.engine.StateStore;
import io.tributary.engine.StreamPlan;
import io.tributary.engine.SyncEngine;
import io.tributary.engine.SyncFailure;
import io.tributary.engine.SyncListener;
import io.tributary.job.JobHandler;
import io.tributary.job.JobKind;
import io.tributary.job.Outcome;
import io.tributary.job.RunningJob;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import io.tributary.protocol.SyncMode;
import io.tributary.source.SourceRecord;
import io.tributary.source.SourceService;
import io.tributary.workspace.WorkspaceStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one claimed sync: checks the connection and its workspace are still active, discovers the
 * source again when its catalog is old, applies the connection's schema-change preference, then
 * runs the engine with per-stream statistics, a log and the connection's state. Claiming, leases,
 * cancel requests, retries and the job's status are the job lifecycle's ({@link io.tributary.job});
 * a killed worker's sync resumes elsewhere from its last commit.
 */
@Component
class SyncWorker implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);

  /** How old a catalog may be when a sync starts (SPEC §11). */
  static final Duration REDISCOVER_AFTER = Duration.ofMinutes(15);

  /** The engine's default parallelism: streams one sync runs at once. */
  private static final int STREAMS_PER_SYNC = 2;

  private final ConnectionRepository connections;
  private final SyncPlanner planner;
  private final DestinationClaims claims;
  private final ConnectionStateRepository states;
  private final ConnectionRefreshRepository refreshes;
  private final StreamSchemaRepository schemas;
  private final Clock clock;
  private final MeterRegistry meters;
  private final CommitPolicy commits;
  private final SourceService sources;
  private final TransactionTemplate transactions;
  private final long bufferBytes;

  SyncWorker(
      ConnectionRepository connections,
      SyncPlanner planner,
      DestinationClaims claims,
      SourceService sources,
      TransactionTemplate transactions,
      ConnectionStateRepository states,
      ConnectionRefreshRepository refreshes,
      StreamSchemaRepository schemas,
      Clock clock,
      MeterRegistry meters,
      @Value("${tributary.worker.commit-records:500000}") long commitRecords,
      @Value("${tributary.worker.commit-interval:1m}") Duration commitInterval,
      @Value("${tributary.worker.concurrency:2}") int concurrency) {
    this.connections = connections;
    this.planner = planner;
    this.claims = claims;
    this.sources = sources;
    this.transactions = transactions;
    this.states = states;
    this.refreshes = refreshes;
    this.schemas = schemas;
    this.clock = clock;
    this.meters = meters;
    this.commits = new CommitPolicy(commitRecords, commitInterval);
    this.bufferBytes = bufferBytes(Runtime.getRuntime().maxMemory(), concurrency);
  }

  /**
   * Each stream's buffer between its reader and writer, sized so that the buffers of every sync
   * this process runs at once fill at most an eighth of the heap: the launcher's modest heap (256
   * MiB by default) then holds them beside the rest, where the engine's own default (64 MiB a
   * stream) could not. Batches are counted by the heap they take, so this eighth is what the
   * buffers really hold. A few MiB per stream already keeps the reader and the writer apart.
   */
  static long bufferBytes(long maxHeap, int concurrency) {
    long streamsAtOnce = (long) Math.max(1, concurrency) * STREAMS_PER_SYNC;
    return Math.clamp(maxHeap / 8 / streamsAtOnce, 4L << 20, 64L << 20);
  }

  @Override
  public JobKind kind() {
    return JobKind.SYNC;
  }

  @Override
  public Outcome run(RunningJob job) {
    ConnectionRecord connection =
        connections
            .findConnection(TenantScope.wholeOrganization(job.organizationId()), job.connectionId())
            .orElse(null);
    if (connection == null || !"active".equals(connection.status())) {
      return new Outcome.Cancelled(
          connection == null ? "The connection was deleted" : "The connection is inactive");
    }
    planner.rediscoverIfOlder(connection, REDISCOVER_AFTER, clock.instant()).ifPresent(job::log);
    SyncPlanner.Plan plan = planner.plan(connection);
    if (plan.workspace().status() != WorkspaceStatus.ACTIVE) {
      return new Outcome.Cancelled("The workspace is inactive");
    }
    Map<String, WriteTarget> targets = new LinkedHashMap<>();
    for (StreamPlan stream : plan.streams()) {
      String namespace = stream.read().stream().namespace();
      targets.put(
          namespace == null ? stream.name() : namespace + "." + stream.name(), stream.write());
    }
    var conflict =
        claims.claim(
            connection.organizationId(),
            connection.workspaceId(),
            connection.destinationId(),
            connection.id(),
            targets,
            plan.destinationConfig(),
            clock.instant());
    if (conflict.isPresent()) {
      return new Outcome.Failed("config_error", conflict.get().message(), false);
    }
    Map<String, StreamSchemaRepository.StreamShape> lastShapes = schemas.shapes(connection.id());
    SchemaChanges changes =
        SchemaChanges.of(plan.streams(), plan.missingStreams(), lastShapes, plan.preference());
    if (!changes.breaking().isEmpty()) {
      connections.pause(connection.id(), "breaking_schema_change", clock.instant());
      return new Outcome.Failed(
          "config_error",
          "Breaking schema change: "
              + String.join("; ", changes.breaking())
              + ". The connection is paused: adjust its streams, then set it active again",
          false);
    }
    if (!changes.nonBreaking().isEmpty()) {
      String summary = String.join("; ", changes.nonBreaking());
      if (plan.preference() == NonBreakingChangesPreference.DISABLE) {
        connections.pause(connection.id(), "schema_change", clock.instant());
        return new Outcome.Failed(
            "config_error",
            "The source's schema changed: "
                + summary
                + ". The connection is paused (non_breaking_changes_preference is disable): review, then set it active again",
            false);
      }
      job.log("Schema changed: " + summary + " (" + changes.handling(plan.preference()) + ")");
    }
    readMovedStreamsAgain(job, connection, changes.streams());
    List<StreamPlan> streams = withRefreshes(connection, changes.streams());
    job.log(
        "Attempt " + job.attempt() + " on " + job.worker() + ": " + streams.size() + " stream(s)");
    // the job's counts cover all its attempts: an incremental stream's retry resumes, and what it
    // commits adds to theirs; any other stream is read again, and counted again from nothing
    Set<String> resuming =
        streams.stream()
            .filter(s -> s.read().syncMode() == SyncMode.INCREMENTAL && !s.fromStart())
            .map(StreamPlan::name)
            .collect(Collectors.toSet());
    Stats stats = Stats.after(job.savedStats(), resuming);
    RotatedConfig rotated = new RotatedConfig(plan.sourceRecord(), plan.sourceConfig());
    SyncEngine engine =
        SyncEngine.builder()
            .source(plan.source(), plan.sourceConfig())
            .destination(
                new LeasedDestination(plan.destination(), job::renewLease),
                plan.destinationConfig())
            .streams(streams)
            .states(new Store(job, connection, streams, rotated))
            .listener(new Listener(job, stats, rotated))
            .commitPolicy(commits)
            .bufferBytes(bufferBytes)
            .build();
    job.onStop(engine::cancel);
    try {
      engine.run();
      // a sync that ends well is a checkpoint too, for streams that keep no state
      if (rotated.isPending()) {
        rotated.storeWith(() -> {});
      }
      Map<String, List<Field>> synced = new LinkedHashMap<>();
      streams.forEach(stream -> synced.put(stream.write().stateKey(), stream.write().fields()));
      schemas.saveChanged(connection.id(), synced, lastShapes, clock.instant());
      return Outcome.succeeded();
    } catch (SyncFailure.Cancelled cancelled) {
      storeWhatRotated(job, rotated);
      return job.leaseLost()
          ? new Outcome.TakenOver()
          : new Outcome.Cancelled("Cancelled on request");
    } catch (SyncFailure failure) {
      storeWhatRotated(job, rotated);
      if (job.leaseLost()) {
        return new Outcome.TakenOver();
      }
      if (failure.stream() != null) {
        stats.failed(failure.stream());
      }
      job.log("Failed: " + failure.getMessage());
      logConnectorOutput(job, failure);
      if (failure.failureType() == FailureType.CONFIG_ERROR
          && sources.credentialsRefused(plan.sourceRecord(), failure.getMessage())) {
        job.log(
            "The provider refused the source's credentials: its connections are paused until it"
                + " is reconnected");
        return new Outcome.Failed(
            "credentials_error",
            failure.getMessage()
                + " (the source's credentials were refused: reconnect it; its connections resume"
                + " from their saved state)",
            false);
      }
      return new Outcome.Failed(
          failure.failureType().name().toLowerCase(),
          failure.getMessage(),
          failure.failureType() == FailureType.TRANSIENT_ERROR);
    } finally {
      storeWhatRotated(job, rotated);
      job.saveStats(stats.json());
    }
  }

  /**
   * Stores a configuration the connector rotated after the last checkpoint, when the attempt ends
   * without another: a provider that rotated a single-use refresh token has already revoked the one
   * stored, so dropping the new one would lose the source's credentials. The state stays at the
   * last checkpoint; the next attempt reads from there with the new configuration.
   */
  private void storeWhatRotated(RunningJob job, RotatedConfig rotated) {
    if (!rotated.isPending()) {
      return;
    }
    try {
      rotated.storeWith(() -> {});
      job.log("The source's configuration the connector rotated is stored");
    } catch (RuntimeException e) {
      log.warn("Job {}: the rotated configuration of its source could not be stored", job.id(), e);
      job.log("The source's configuration the connector rotated could not be stored");
    }
  }

  /**
   * What a connector process printed last before it failed (secrets already scrubbed by its
   * runtime).
   */
  private static void logConnectorOutput(RunningJob job, Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectorException connector && !connector.output().isEmpty()) {
        job.log("The connector's last output lines:");
        connector.output().forEach(line -> job.log("  " + line));
        return;
      }
    }
  }

  /**
   * An incremental stream whose destination table is no longer the one its state was committed with
   * (a renamed workspace under {@code ${WORKSPACE_NAME}}, a changed namespace format or prefix), or
   * whose deduplication key changed (rows merged under the old key are missing under the new one),
   * is refreshed: resuming would fill the table with only the rows that come after. So is one whose
   * cursor changed: its state is a position on the old cursor, and an Airbyte connector resuming
   * from it on the new one would skip records. The request lasts until the stream's first commit
   * there, as any refresh does.
   */
  private void readMovedStreamsAgain(
      RunningJob job, ConnectionRecord connection, List<StreamPlan> plans) {
    Map<String, CommittedWith> committed = states.committedWith(connection.id());
    List<String> again = new ArrayList<>();
    for (StreamPlan plan : plans) {
      CommittedWith before = committed.get(plan.write().stateKey());
      CommittedWith now = committedWith(plan.write());
      if (plan.read().syncMode() != SyncMode.INCREMENTAL || before == null) {
        continue;
      }
      if (before.isOtherTableThan(now)) {
        job.log(
            "Stream "
                + plan.name()
                + " now writes to "
                + now
                + ", not to "
                + before
                + " where its state was committed: reading it again from the start");
        again.add(plan.write().stateKey());
      } else if (!before.key().isEmpty()
          && !now.key().isEmpty()
          && !Set.copyOf(before.key()).equals(Set.copyOf(now.key()))) {
        job.log(
            "Stream "
                + plan.name()
                + " is now deduplicated by "
                + now.key()
                + ", not "
                + before.key()
                + ": reading it again from the start");
        again.add(plan.write().stateKey());
      } else if (before.cursor() != null && !before.cursor().equals(now.cursor())) {
        job.log(
            "Stream "
                + plan.name()
                + " is now read on cursor "
                + now.cursor()
                + ", not "
                + before.cursor()
                + ": reading it again from the start");
        again.add(plan.write().stateKey());
      }
    }
    if (!again.isEmpty()) {
      refreshes.request(connection.id(), again, clock.instant());
    }
  }

  private static CommittedWith committedWith(WriteTarget target) {
    return target == null
        ? new CommittedWith(null, null, List.of(), null)
        : new CommittedWith(
            target.namespace(),
            target.name(),
            target.mode() == DestinationSyncMode.APPEND_DEDUP ? target.primaryKey() : List.of(),
            target.cursorField());
  }

  /**
   * Streams refreshed since their last commit read from the start (again, when an earlier attempt
   * died first).
   */
  private List<StreamPlan> withRefreshes(ConnectionRecord connection, List<StreamPlan> plans) {
    Set<String> refresh = refreshes.pending(connection.id());
    return plans.stream()
        .map(p -> refresh.contains(p.write().stateKey()) ? p.fromTheStart() : p)
        .toList();
  }

  /**
   * Per-stream counts, shown on the job while it runs, and the stream whose failure ended the
   * attempt ({@code "failed": true}), which the workspace status reports as failing.
   */
  private static final class Stats {
    final Map<String, long[]> streams = new ConcurrentHashMap<>();
    private volatile String failed;

    private static final int EMITTED = 0;
    private static final int COMMITTED = 2;
    private static final int ESTIMATED = 4;

    /** Adds to a stream's emitted or committed counts: records at {@code at}, bytes after. */
    synchronized void add(String stream, int at, long records, long bytes) {
      long[] c = counts(stream);
      c[at] += records;
      c[at + 1] += bytes;
    }

    /** The source's estimate of a stream's records in all. */
    synchronized void estimate(String stream, long records) {
      counts(stream)[ESTIMATED] = records;
    }

    /** Marks the stream that failed the attempt; it gets an entry even with nothing read. */
    synchronized void failed(String stream) {
      counts(stream);
      failed = stream;
    }

    private long[] counts(String stream) {
      return streams.computeIfAbsent(stream, s -> new long[5]);
    }

    /**
     * Counts starting where earlier attempts' {@link #json} left them (their failure aside), for
     * the {@code resuming} streams.
     */
    static Stats after(JsonNode earlier, Set<String> resuming) {
      Stats stats = new Stats();
      earlier.properties().stream()
          .filter(e -> resuming.contains(e.getKey()))
          .forEach(
              e -> {
                long[] c = stats.counts(e.getKey());
                JsonNode counts = e.getValue();
                c[EMITTED] = counts.path("records_emitted").asLong(0);
                c[EMITTED + 1] = counts.path("bytes_emitted").asLong(0);
                c[COMMITTED] = counts.path("records_committed").asLong(0);
                c[COMMITTED + 1] = counts.path("bytes_committed").asLong(0);
                c[ESTIMATED] = counts.path("records_estimated").asLong(0);
              });
      return stats;
    }

    JsonNode json() {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      streams.forEach(
          (stream, c) -> {
            ObjectNode counts =
                out.putObject(stream)
                    .put("records_emitted", c[0])
                    .put("bytes_emitted", c[1])
                    .put("records_committed", c[2])
                    .put("bytes_committed", c[3]);
            if (c[ESTIMATED] > 0) {
              counts.put("records_estimated", c[ESTIMATED]);
            }
            if (stream.equals(failed)) {
              counts.put("failed", true);
            }
          });
      return out;
    }
  }

  /**
   * A configuration the source's connector replaced its own with, waiting for the next state
   * checkpoint to be stored with it: a sync that fails before one keeps the configuration it
   * started with.
   */
  private final class RotatedConfig {
    private final SourceRecord source;
    private final AtomicReference<ObjectNode> pending = new AtomicReference<>();

    /** The connector's configuration as last stored: each rotation is compared with it. */
    private ObjectNode previous;

    RotatedConfig(SourceRecord source, ObjectNode startedWith) {
      this.source = source;
      this.previous = startedWith.deepCopy();
    }

    void changed(ObjectNode config) {
      pending.set(config);
    }

    boolean isPending() {
      return pending.get() != null;
    }

    /**
     * Runs {@code work} in a transaction that also stores the waiting configuration, if any. One at
     * a time (streams checkpoint in parallel), so each rotation is compared with the one committed
     * before it; one whose transaction fails waits for the next checkpoint, unless a newer one
     * came.
     */
    synchronized void storeWith(Runnable work) {
      ObjectNode config = pending.getAndSet(null);
      try {
        transactions.executeWithoutResult(
            status -> {
              work.run();
              if (config != null) {
                sources.storeRotatedConfig(source, previous, config);
              }
            });
      } catch (RuntimeException e) {
        if (config != null) {
          pending.compareAndSet(null, config);
        }
        throw e;
      }
      if (config != null) {
        previous = config.deepCopy();
      }
    }
  }

  private final class Listener implements SyncListener {
    private final RunningJob job;
    private final Stats stats;
    private final RotatedConfig rotated;
    private final AtomicLong lastSave = new AtomicLong();

    Listener(RunningJob job, Stats stats, RotatedConfig rotated) {
      this.job = job;
      this.stats = stats;
      this.rotated = rotated;
    }

    @Override
    public void configChanged(ObjectNode config) {
      rotated.changed(config);
      job.log("The source's connector updated its configuration; stored with the next checkpoint");
    }

    @Override
    public void estimated(String stream, long records, long bytes) {
      stats.estimate(stream, records);
    }

    @Override
    public void emitted(String stream, long records, long bytes) {
      stats.add(stream, Stats.EMITTED, records, bytes);
    }

    @Override
    public void committed(String stream, long records, long bytes) {
      stats.add(stream, Stats.COMMITTED, records, bytes);
      meters.counter("tributary.sync.records.committed").increment(records);
      meters.counter("tributary.sync.bytes.committed").increment(bytes);
      long now = System.nanoTime();
      if (now - lastSave.get() > Duration.ofSeconds(2).toNanos()) {
        lastSave.set(now);
        job.saveStats(stats.json());
      }
    }

    @Override
    public void log(String line) {
      job.log(line);
    }
  }

  /** The runtime's state copy for one connection. */
  private final class Store implements StateStore {
    private final RunningJob job;
    private final ConnectionRecord connection;
    private final Map<String, WriteTarget> targets = new HashMap<>();
    private final RotatedConfig rotated;

    Store(
        RunningJob job,
        ConnectionRecord connection,
        List<StreamPlan> streams,
        RotatedConfig rotated) {
      this.job = job;
      this.connection = connection;
      streams.forEach(stream -> targets.put(stream.write().stateKey(), stream.write()));
      this.rotated = rotated;
    }

    @Override
    public JsonNode load(String stateKey) {
      return states.load(connection.id(), stateKey);
    }

    @Override
    public void save(String stateKey, JsonNode state) {
      rotated.storeWith(
          () -> {
            // a worker that lost the job saves nothing over the state of the one running it now
            if (!job.holdsLease()) {
              throw ConnectorException.transientError(
                  "This worker lost the sync's job to another; its state was not saved", null);
            }
            states.save(
                connection.id(),
                stateKey,
                state,
                committedWith(targets.get(stateKey)),
                clock.instant());
            refreshes.done(connection.id(), stateKey);
          });
    }
  }
}
