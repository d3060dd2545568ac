package io.tributary.job;

import io.tributary.auth.TenantScope;
import io.tributary.common.PageRequest;
import io.tributary.database.AsyncCommit;
import io.tributary.event.EventLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code jobs} table: every status change is one of {@link JobStatus}'s moves, made as a
 * compare-and-set update that names the status it leaves (and, for a running job, the worker that
 * holds it), so a move the row no longer allows changes nothing. Status literals in the SQL below
 * are the lifecycle's own; partial indexes need them as constants.
 */
@Repository
public class JobRepository {

  private static final String COLUMNS =
      "id, organization_id, workspace_id, kind, source_id, connection_id, status, attempts, "
          + "failure_type, failure_reason, stats::text as stats, created_at, started_at, finished_at";

  /** Longest log line or failure reason kept: a connector's error may quote a whole document. */
  static final int MAX_TEXT = 4000;

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final TransactionTemplate transactions;
  private final AsyncCommit asyncCommit;
  private final EventLog events;

  JobRepository(
      JdbcClient jdbc,
      JsonMapper json,
      TransactionTemplate transactions,
      AsyncCommit asyncCommit,
      EventLog events) {
    this.events = events;
    this.jdbc = jdbc;
    this.json = json;
    this.transactions = transactions;
    this.asyncCommit = asyncCommit;
  }

  /** A page of jobs, newest first. */
  public List<Job> page(TenantScope scope, UUID connectionId, JobStatus status, PageRequest page) {
    List<Object> params = scope.params();
    StringBuilder sql =
        new StringBuilder("select " + COLUMNS + " from jobs where " + TenantScope.CONDITION);
    if (connectionId != null) {
      // only syncs name a connection; saying so lets the connection's own index of syncs serve the
      // page (jobs_connection_newest) instead of a scan of the whole history
      sql.append(" and connection_id = ? and kind = 'sync'");
      params.add(connectionId);
    }
    if (status != null) {
      sql.append(" and status = ?");
      params.add(status.value());
    }
    page.appendTo(sql, params, PageRequest.Order.NEWEST_FIRST);
    return jdbc.sql(sql.toString()).params(params).query(this::map).list();
  }

  public Optional<Job> find(TenantScope scope, UUID id) {
    List<Object> params = scope.params();
    params.addFirst(id);
    return jdbc.sql("select " + COLUMNS + " from jobs where id = ? and " + TenantScope.CONDITION)
        .params(params)
        .query(this::map)
        .optional();
  }

  /**
   * The newest sync job in one of {@code statuses} of each live connection the scope reaches, by
   * connection. One statement for a whole workspace, so a status page does not ask per connection.
   */
  public Map<UUID, Job> latestSyncs(TenantScope scope, Set<JobStatus> statuses) {
    if (statuses.isEmpty()) {
      return Map.of();
    }
    List<Object> params = scope.params();
    statuses.forEach(s -> params.add(s.value()));
    String in = String.join(", ", Collections.nCopies(statuses.size(), "?"));
    // one active sync per connection, so the newest created is also the newest to finish; per
    // connection on jobs_connection_newest, not a sort of the workspace's whole history, which a
    // widget polling the status would pay for every few seconds
    List<Job> rows =
        jdbc.sql(
                "select j.* from (select id from connections where "
                    + TenantScope.CONDITION
                    + " and deleted_at is null) c cross join lateral (select "
                    + COLUMNS
                    + " from jobs where connection_id = c.id and kind = 'sync' and status in ("
                    + in
                    + ") order by created_at desc, id desc limit 1) j")
            .params(params)
            .query(this::map)
            .list();
    Map<UUID, Job> byConnection = new HashMap<>();
    rows.forEach(job -> byConnection.put(job.connectionId(), job));
    return byConnection;
  }

  // --- entering the lifecycle
  // ---------------------------------------------------------------------------------

  /**
   * Queues a sync of the connection when the rules allow it: the connection and its workspace exist
   * and are active, and the connection has no sync pending or running (the unique index {@code
   * jobs_one_active_sync}). False when a rule refused it; {@link #syncRefusal} says which. "Do
   * nothing" rather than a caught violation: the scheduler enqueues inside a transaction it must
   * keep.
   */
  boolean insertSync(UUID id, UUID organizationId, UUID connectionId, Instant now) {
    boolean queued =
        jdbc.sql(
                    """
            insert into jobs (id, organization_id, workspace_id, kind, connection_id, status, created_at)
            select ?, c.organization_id, c.workspace_id, ?, c.id, ?, ?
              from connections c join workspaces w on w.id = c.workspace_id
             where c.id = ? and c.organization_id = ? and c.deleted_at is null and c.status = 'active'
               and w.deleted_at is null and w.status = 'active'
            on conflict do nothing""")
                .params(
                    id,
                    JobKind.SYNC.value(),
                    JobStatus.PENDING.value(),
                    Timestamp.from(now),
                    connectionId,
                    organizationId)
                .update()
            == 1;
    if (queued) {
      // the scheduler's search for first syncs (sync_on_create) stops considering it
      jdbc.sql(
              "update connections set first_sync_pending = false where id = ? and first_sync_pending")
          .param(connectionId)
          .update();
      // idle workers wake at once (JobWakeUp); PostgreSQL sends it when the insert commits
      jdbc.sql("select pg_notify('" + JobWakeUp.CHANNEL + "', '')").query().singleRow();
    }
    return queued;
  }

  /**
   * The first rule that refuses a sync of the connection now, in the order the API reports them.
   */
  Optional<JobQueue.Refusal> syncRefusal(UUID organizationId, UUID connectionId) {
    return jdbc.sql(
            """
            select w.status = 'active', c.status = 'active',
                   exists (select 1 from jobs j where j.connection_id = c.id and j.kind = 'sync' and j.status in ('pending', 'running'))
              from connections c join workspaces w on w.id = c.workspace_id and w.deleted_at is null
             where c.id = ? and c.organization_id = ? and c.deleted_at is null""")
        .params(connectionId, organizationId)
        .query(
            (rs, row) ->
                !rs.getBoolean(1)
                    ? Optional.of(JobQueue.Refusal.WORKSPACE_INACTIVE)
                    : !rs.getBoolean(2)
                        ? Optional.of(JobQueue.Refusal.CONNECTION_INACTIVE)
                        : rs.getBoolean(3)
                            ? Optional.of(JobQueue.Refusal.ALREADY_ACTIVE)
                            : Optional.<JobQueue.Refusal>empty())
        .optional()
        .orElse(Optional.of(JobQueue.Refusal.CONNECTION_NOT_FOUND));
  }

  /** A job that starts running at once on the node that asked, held by {@code worker}. */
  void insertRunning(
      UUID id,
      UUID organizationId,
      UUID workspaceId,
      JobKind kind,
      UUID sourceId,
      UUID connectionId,
      String worker,
      Instant now) {
    jdbc.sql(
            "insert into jobs (id, organization_id, workspace_id, kind, source_id, connection_id, status, worker, created_at, "
                + "started_at, heartbeat_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            id,
            organizationId,
            workspaceId,
            kind.value(),
            sourceId,
            connectionId,
            JobStatus.RUNNING.value(),
            worker,
            Timestamp.from(now),
            Timestamp.from(now),
            Timestamp.from(now))
        .update();
  }

  // --- claiming
  // -------------------------------------------------------------------------------------------------

  /**
   * How many of the oldest due syncs a claim considers per free slot: more than one, so that the
   * queued syncs of an organization at its cap do not leave a batch short when others wait behind.
   */
  private static final int CANDIDATES_PER_SLOT = 4;

  /** A job a worker claimed: running, held by that worker, on its {@code attempts}-th attempt. */
  /**
   * A claimed job. {@code worker} names this attempt ({@code <node>#<attempt>}), not only the node:
   * a node whose attempt was taken back while it stalled and that then claims the job again must
   * not find its old attempt still holding the lease.
   */
  public record Claimed(
      UUID id, UUID organizationId, UUID connectionId, int attempts, String worker) {}

  /**
   * How many syncs wait for a worker: pending and due by {@code now}, of every region and
   * organization (counted on the {@code jobs_pending_sync} partial index), less those waiting for
   * another sync of their source, which no new worker would start.
   */
  long dueSyncs(Instant now) {
    return jdbc.sql(
            """
            select count(*) from jobs j
            where j.kind = 'sync' and j.status = 'pending' and (j.not_before is null or j.not_before <= ?)
              and not exists (select 1 from connections c
                              join connections other on other.source_id = c.source_id
                              join jobs r on r.connection_id = other.id and r.kind = 'sync' and r.status = 'running'
                              where c.id = j.connection_id)
            """)
        .param(Timestamp.from(now))
        .query(Long.class)
        .single();
  }

  /**
   * PENDING → RUNNING: claims up to {@code max} of the oldest due pending syncs for {@code worker}
   * (of its region, when it has one), never more of an organization's than its cap of running syncs
   * leaves room for ({@code organizations.max_concurrent_syncs}, else {@code perOrganization}). One
   * sync of a source runs at a time: a connector that refreshes a single-use token would otherwise
   * spend the one another sync of the same source holds, and the source's database is the
   * customer's. Claims take turns under a lock so that the cap holds across workers; each is one
   * statement however many it claims, so a busy worker takes its free slots in one turn rather than
   * one turn each. Claims at least one whenever one may run (the oldest candidate's organization
   * has room), so a claimer that loops until it gets none has started all it may.
   */
  public List<Claimed> claim(
      String worker, UUID region, int perOrganization, Instant now, int max) {
    List<Claimed> claimed =
        transactions.execute(
            status -> {
              jdbc.sql("select pg_advisory_xact_lock(hashtext('tributary.sync.claim'))")
                  .query()
                  .singleRow();
              // Organizations' running syncs are counted once, not per candidate: the queue may
              // hold thousands of pending jobs. A candidate's region is looked up by its
              // workspace's key, not by listing the region's workspaces: that scanned them all on
              // every claim, under the claim lock (23 ms at 100,000 workspaces;
              // bench/scale-simulation). Candidates are ranked within their organization so that a
              // batch fills no organization past its cap.
              List<Claimed> jobs =
                  jdbc.sql(
                          """
              with running as (select organization_id, count(*) as syncs from jobs
                               where kind = 'sync' and status = 'running' group by organization_id),
              busy_sources as (select c.source_id from jobs j join connections c on c.id = j.connection_id
                               where j.kind = 'sync' and j.status = 'running'),
              room as (select o.id as organization_id, coalesce(o.max_concurrent_syncs, ?) - coalesce(r.syncs, 0) as slots
                       from organizations o left join running r on r.organization_id = o.id),
              candidates as (select j.id, j.organization_id, j.created_at,
                                    (select c.source_id from connections c where c.id = j.connection_id) as source_id
                             from jobs j
                             where j.status = 'pending' and j.kind = 'sync' and (j.not_before is null or j.not_before <= ?)
                               and not exists (select 1 from connections c join busy_sources b on b.source_id = c.source_id
                                               where c.id = j.connection_id)
                               and (cast(? as uuid) is null
                                    or (select w.region_id from workspaces w where w.id = j.workspace_id) = cast(? as uuid))
                               and j.organization_id not in (select r.organization_id from running r join organizations o
                                                             on o.id = r.organization_id
                                                             where r.syncs >= coalesce(o.max_concurrent_syncs, ?))
                             order by j.created_at for update of j skip locked limit ?),
              chosen as (select c.id from (select c.id, c.organization_id, c.created_at,
                                                  row_number() over (partition by c.organization_id order by c.created_at) as place
                                           from (select distinct on (source_id) * from candidates
                                                 order by source_id, created_at) c) c
                         join room on room.organization_id = c.organization_id
                         where c.place <= room.slots
                         order by c.created_at limit ?),
              updated as (update jobs set status = 'running', worker = ? || '#' || (attempts + 1),
                              started_at = coalesce(started_at, ?), heartbeat_at = ?, attempts = attempts + 1
                          where id in (select id from chosen)
                          returning id, organization_id, connection_id, attempts, worker, created_at)
              select id, organization_id, connection_id, attempts, worker from updated order by created_at, id""")
                      .params(
                          perOrganization,
                          Timestamp.from(now),
                          region,
                          region,
                          perOrganization,
                          max * CANDIDATES_PER_SLOT,
                          max,
                          worker,
                          Timestamp.from(now),
                          Timestamp.from(now))
                      .query(
                          (rs, row) ->
                              new Claimed(
                                  rs.getObject(1, UUID.class),
                                  rs.getObject(2, UUID.class),
                                  rs.getObject(3, UUID.class),
                                  rs.getInt(4),
                                  rs.getString(5)))
                      .list();
              for (Claimed job : jobs) {
                if (job.attempts() == 1) {
                  recordSyncEvent(job.id());
                }
              }
              return jobs;
            });
    return claimed == null ? List.of() : claimed;
  }

  /**
   * Claims the oldest due pending sync that may run, as {@link #claim(String, UUID, int, Instant,
   * int)}.
   */
  public Optional<Claimed> claim(String worker, UUID region, int perOrganization, Instant now) {
    return claim(worker, region, perOrganization, now, 1).stream().findFirst();
  }

  /**
   * Tells the operator what became of a sync: {@code sync.started} on its first attempt, {@code
   * sync.<status>} when it ends. Runs in the transaction of the move it reports.
   */
  private void recordSyncEvent(UUID id) {
    jdbc.sql("select " + COLUMNS + " from jobs where id = ?")
        .param(id)
        .query(this::map)
        .optional()
        .filter(job -> job.kind() == JobKind.SYNC)
        .ifPresent(
            job -> {
              ObjectNode data = json.createObjectNode();
              data.put("job_id", job.id().toString())
                  .put("connection_id", String.valueOf(job.connectionId()))
                  .put("workspace_id", String.valueOf(job.workspaceId()))
                  .put("status", job.status().value())
                  .put("attempts", job.attempts());
              if (job.status().finished()) {
                data.put("failure_type", job.failureType())
                    .put("failure_reason", job.failureReason())
                    .put("started_at", job.startedAt() == null ? null : job.startedAt().toString())
                    .put(
                        "finished_at",
                        job.finishedAt() == null ? null : job.finishedAt().toString());
                long committed = 0;
                if (job.streams() != null) {
                  data.set("streams", job.streams());
                  for (JsonNode stream : job.streams()) {
                    committed += stream.path("records_committed").asLong(0);
                  }
                }
                data.put("records_committed", committed);
              }
              String type = job.status() == JobStatus.RUNNING ? "started" : job.status().value();
              events.record(job.organizationId(), job.workspaceId(), "sync." + type, data);
            });
  }

  // --- while it runs
  // --------------------------------------------------------------------------------------------

  /**
   * Renews {@code worker}'s lease; false when the job is no longer its: it was handed to another
   * after missed heartbeats.
   */
  public boolean heartbeat(UUID id, String worker, Instant now) {
    // a heartbeat lost in a crash is harmless: the next one, or the dead node's silence, tells the
    // truth
    return asyncCommit.run(
            () ->
                jdbc.sql(
                        AsyncCommit.RELAXED
                            + "update jobs set heartbeat_at = ? from relaxed where id = ? and worker = ? and status = ?")
                    .params(Timestamp.from(now), id, worker, JobStatus.RUNNING.value())
                    .update())
        == 1;
  }

  /**
   * Whether {@code worker} still runs the job, locking its row until the caller's transaction ends:
   * the sweep cannot hand the job to another worker before what that transaction writes is
   * committed.
   */
  boolean stillHeld(UUID id, String worker) {
    return jdbc.sql("select 1 from jobs where id = ? and worker = ? and status = ? for share")
        .params(id, worker, JobStatus.RUNNING.value())
        .query(Integer.class)
        .optional()
        .isPresent();
  }

  boolean cancelRequested(UUID id) {
    return jdbc.sql("select cancel_requested from jobs where id = ?")
        .param(id)
        .query(Boolean.class)
        .single();
  }

  /** The statistics the job's earlier attempts saved; an empty object before any. */
  JsonNode stats(UUID id) {
    return jdbc.sql("select coalesce(stats, '{}'::jsonb)::text from jobs where id = ?")
        .param(id)
        .query(String.class)
        .optional()
        .map(json::readTree)
        .orElseGet(JsonNodeFactory.instance::objectNode);
  }

  /** Per-stream statistics shown on the job while it runs. */
  void saveStats(UUID id, JsonNode stats) {
    jdbc.sql("update jobs set stats = ?::jsonb where id = ?")
        .params(json.writeValueAsString(stats), id)
        .update();
  }

  // --- leaving RUNNING
  // ------------------------------------------------------------------------------------------

  /** RUNNING → SUCCEEDED, FAILED or CANCELLED, unless another worker holds the job by now. */
  public boolean finish(
      UUID id, String worker, JobStatus to, String failureType, String reason, Instant now) {
    if (!to.finished()) {
      throw new IllegalArgumentException("finish moves a job to a final status, not " + to.value());
    }
    return reported(
        () ->
            move(
                id,
                JobStatus.RUNNING,
                to,
                worker,
                "failure_type = ?, failure_reason = ?, finished_at = ?",
                failureType,
                capped(reason),
                Timestamp.from(now)),
        id);
  }

  /**
   * RUNNING → SUCCEEDED with {@code result} kept in the same transaction, or RUNNING → CANCELLED,
   * keeping nothing, when a cancel was asked first. The job's row is locked before either, so a
   * cancel answered "accepted" is never followed by a success. False when another worker holds the
   * job.
   */
  boolean succeedUnlessCancelled(UUID id, String worker, Instant now, Runnable result) {
    return Boolean.TRUE.equals(
        transactions.execute(
            status -> {
              boolean cancelled =
                  jdbc.sql("select cancel_requested from jobs where id = ? for update")
                      .param(id)
                      .query(Boolean.class)
                      .single();
              if (cancelled) {
                return finish(id, worker, JobStatus.CANCELLED, null, "Cancelled on request", now);
              }
              if (!stillHeld(id, worker)) {
                return false;
              }
              result.run();
              return finish(id, worker, JobStatus.SUCCEEDED, null, null, now);
            }));
  }

  /** Makes a move and, when it happened, reports it to the operator in the same transaction. */
  private boolean reported(java.util.function.BooleanSupplier move, UUID id) {
    return Boolean.TRUE.equals(
        transactions.execute(
            status -> {
              boolean moved = move.getAsBoolean();
              if (moved) {
                recordSyncEvent(id);
              }
              return moved;
            }));
  }

  /** RUNNING → PENDING: back to the queue for another attempt after {@code notBefore}. */
  boolean retryLater(UUID id, String worker, Instant notBefore, String failureType, String reason) {
    // a job cancelled while its attempt failed is not queued again: nothing would end it but a
    // worker's next attempt
    JobStatus.RUNNING.requireMoveTo(JobStatus.PENDING);
    return jdbc.sql(
                """
            update jobs set status = ?, not_before = ?, failure_type = ?, failure_reason = ?, worker = null
            where id = ? and status = ? and worker = ? and not cancel_requested""")
            .params(
                JobStatus.PENDING.value(),
                Timestamp.from(notBefore),
                failureType,
                capped(reason),
                id,
                JobStatus.RUNNING.value(),
                worker)
            .update()
        == 1;
  }

  /** The sync jobs of these connections still pending or running. */
  List<UUID> unfinishedSyncsOf(List<UUID> connectionIds) {
    return jdbc.sql(
            "select id from jobs where connection_id = any(?) and kind = ? and status in (?, ?)")
        .params(
            connectionIds.toArray(UUID[]::new),
            JobKind.SYNC.value(),
            JobStatus.PENDING.value(),
            JobStatus.RUNNING.value())
        .query(UUID.class)
        .list();
  }

  /** Asks whoever runs the job to stop; false when it has finished already. */
  boolean requestCancel(UUID id) {
    return jdbc.sql("update jobs set cancel_requested = true where id = ? and status in (?, ?)")
            .params(id, JobStatus.PENDING.value(), JobStatus.RUNNING.value())
            .update()
        == 1;
  }

  /** PENDING → CANCELLED: a job nobody started yet is cancelled at once. */
  boolean cancelPending(UUID id, Instant now) {
    return reported(
        () ->
            move(
                id,
                JobStatus.PENDING,
                JobStatus.CANCELLED,
                null,
                "finished_at = ?",
                Timestamp.from(now)),
        id);
  }

  /**
   * RUNNING → PENDING or FAILED for jobs of {@code kind} whose heartbeat stopped before {@code
   * deadline}: they died with their node. A job its kind's {@link RetryPolicy} retries goes back to
   * the queue (another worker resumes it from its last commit); any other has failed.
   */
  int sweepAbandoned(JobKind kind, Instant deadline, Instant now) {
    JobStatus.RUNNING.requireMoveTo(JobStatus.PENDING);
    JobStatus.RUNNING.requireMoveTo(JobStatus.FAILED);
    JobStatus.RUNNING.requireMoveTo(JobStatus.CANCELLED);
    List<Object[]> swept =
        transactions.execute(
            status -> {
              // a job whose cancel was asked for while its node was dying is cancelled, not run
              // again
              List<Object[]> rows =
                  jdbc.sql(
                          """
            update jobs set
                status = case when cancel_requested then ? when attempts < ? then ? else ? end,
                worker = null,
                failure_type = case when cancel_requested then null else 'system_error' end,
                failure_reason = case when cancel_requested then null
                                      else 'The node running this job stopped before it finished' end,
                finished_at = case when attempts < ? and not cancel_requested then null else ?::timestamptz end
            where status = 'running' and kind = ? and heartbeat_at < ?
            returning id, status""")
                      .params(
                          JobStatus.CANCELLED.value(),
                          kind.retryPolicy().maxAttempts(),
                          JobStatus.PENDING.value(),
                          JobStatus.FAILED.value(),
                          kind.retryPolicy().maxAttempts(),
                          Timestamp.from(now),
                          kind.value(),
                          Timestamp.from(deadline))
                      .query(
                          (rs, row) -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2)})
                      .list();
              for (Object[] row : rows) {
                if (!JobStatus.PENDING.value().equals(row[1])) {
                  recordSyncEvent((UUID) row[0]);
                }
              }
              return rows;
            });
    return swept == null ? 0 : swept.size();
  }

  /** The one compare-and-set update every move of an existing job goes through. */
  private boolean move(
      UUID id, JobStatus from, JobStatus to, String worker, String assignments, Object... values) {
    from.requireMoveTo(to);
    List<Object> params = new ArrayList<>();
    params.add(to.value());
    params.addAll(java.util.Arrays.asList(values));
    params.add(id);
    params.add(from.value());
    String sql = "update jobs set status = ?, " + assignments + " where id = ? and status = ?";
    if (worker != null) {
      sql += " and worker = ?";
      params.add(worker);
    }
    return jdbc.sql(sql).params(params).update() == 1;
  }

  static String capped(String text) {
    return text == null || text.length() <= MAX_TEXT
        ? text
        : text.substring(0, MAX_TEXT) + "… (" + (text.length() - MAX_TEXT) + " more characters)";
  }

  private Job map(ResultSet rs, int row) throws SQLException {
    return new Job(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getObject("workspace_id", UUID.class),
        JobKind.of(rs.getString("kind")),
        rs.getObject("source_id", UUID.class),
        rs.getObject("connection_id", UUID.class),
        JobStatus.of(rs.getString("status")).orElseThrow(),
        rs.getInt("attempts"),
        rs.getString("failure_type"),
        rs.getString("failure_reason"),
        rs.getString("stats") == null ? null : json.readTree(rs.getString("stats")),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("finished_at")));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
