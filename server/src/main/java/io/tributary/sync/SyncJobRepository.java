package io.tributary.sync;

import io.tributary.database.AsyncCommit;
import io.tributary.protocol.Field;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Sync jobs as a queue in PostgreSQL: claimed with SKIP LOCKED, so each is run by exactly one worker. */
@Repository
class SyncJobRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final TransactionTemplate transactions;
  private final AsyncCommit asyncCommit;

  SyncJobRepository(JdbcClient jdbc, JsonMapper json, TransactionTemplate transactions, AsyncCommit asyncCommit) {
    this.jdbc = jdbc;
    this.json = json;
    this.transactions = transactions;
    this.asyncCommit = asyncCommit;
  }

  /** Queues a sync; empty when the connection already has one pending or running. */
  Optional<UUID> enqueue(UUID organizationId, UUID workspaceId, UUID connectionId, Instant now) {
    UUID id = UUID.randomUUID();
    // "do nothing" rather than catching the violation: the scheduler enqueues inside a transaction it must keep
    int inserted = jdbc.sql("insert into jobs (id, organization_id, workspace_id, kind, connection_id, status, created_at) "
            + "values (?, ?, ?, 'sync', ?, 'pending', ?) on conflict do nothing")
        .params(id, organizationId, workspaceId, connectionId, Timestamp.from(now))
        .update();
    return inserted == 1 ? Optional.of(id) : Optional.empty();
  }

  /**
   * Claims the oldest due pending sync for this worker (of its region, when it has one), marking it running, unless
   * its organization already runs its own cap of syncs ({@code organizations.max_concurrent_syncs}, else
   * {@code perOrganization}). Claims take turns under a lock so that cap holds
   * across workers; each claim is one short statement, once a second per worker at most.
   */
  Optional<UUID> claim(String worker, UUID region, int perOrganization, Instant now) {
    return transactions.execute(status -> {
      jdbc.sql("select pg_advisory_xact_lock(hashtext('tributary.sync.claim'))").query().singleRow();
      // organizations at their cap are counted once, not per candidate: the queue may hold thousands of pending jobs
      return jdbc.sql("""
              with busy as (select r.organization_id from jobs r join organizations o on o.id = r.organization_id
                            where r.kind = 'sync' and r.status = 'running'
                            group by r.organization_id, o.max_concurrent_syncs having count(*) >= coalesce(o.max_concurrent_syncs, ?))
              update jobs set status = 'running', worker = ?, started_at = coalesce(started_at, ?), heartbeat_at = ?,
                  attempts = attempts + 1
              where id = (select j.id from jobs j
                          where j.status = 'pending' and j.kind = 'sync' and (j.not_before is null or j.not_before <= ?)
                            and (cast(? as uuid) is null
                                 or j.workspace_id in (select w.id from workspaces w where w.region_id = cast(? as uuid)))
                            and j.organization_id not in (select organization_id from busy)
                          order by j.created_at for update of j skip locked limit 1)
              returning id""")
          .params(perOrganization, worker, Timestamp.from(now), Timestamp.from(now), Timestamp.from(now), region, region)
          .query(UUID.class)
          .optional();
    });
  }

  record Claimed(UUID id, UUID organizationId, UUID connectionId, int attempts) {}

  Claimed claimed(UUID id) {
    return jdbc.sql("select id, organization_id, connection_id, attempts from jobs where id = ?").param(id)
        .query((rs, row) -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
            rs.getInt(4)))
        .single();
  }

  boolean cancelRequested(UUID id) {
    return jdbc.sql("select cancel_requested from jobs where id = ?").param(id).query(Boolean.class).single();
  }

  boolean requestCancel(UUID id) {
    return jdbc.sql("update jobs set cancel_requested = true where id = ? and status in ('pending', 'running')").param(id).update() == 1;
  }

  /** A pending job nobody started yet is cancelled at once. */
  void cancelPending(UUID id, Instant now) {
    jdbc.sql("update jobs set status = 'cancelled', finished_at = ? where id = ? and status = 'pending'").params(Timestamp.from(now), id).update();
  }

  void saveStats(UUID id, JsonNode stats) {
    jdbc.sql("update jobs set stats = ?::jsonb where id = ?").params(json.writeValueAsString(stats), id).update();
  }

  /** Back to the queue for another attempt after {@code notBefore}. */
  void retryLater(UUID id, String worker, Instant notBefore, String failureType, String reason) {
    jdbc.sql("update jobs set status = 'pending', not_before = ?, failure_type = ?, failure_reason = ?, worker = null "
            + "where id = ? and worker = ? and status = 'running'")
        .params(Timestamp.from(notBefore), failureType, capped(reason), id, worker)
        .update();
  }

  /** False when the job is no longer this worker's: it was handed to another after missed heartbeats. */
  boolean heartbeat(UUID id, String worker, Instant now) {
    // a heartbeat lost in a crash is harmless: the next one, or the dead node's silence, tells the truth
    return asyncCommit.run(() -> jdbc.sql(AsyncCommit.RELAXED
        + "update jobs set heartbeat_at = ? from relaxed where id = ? and worker = ? and status = 'running'")
        .params(Timestamp.from(now), id, worker).update()) == 1;
  }

  /** Ends the attempt, unless another worker owns the job by now. */
  void finish(UUID id, String worker, String status, String failureType, String reason, Instant now) {
    jdbc.sql("update jobs set status = ?, failure_type = ?, failure_reason = ?, finished_at = ? "
            + "where id = ? and worker = ? and status = 'running'")
        .params(status, failureType, capped(reason), Timestamp.from(now), id, worker)
        .update();
  }

  /** Longest log line or failure reason kept: a connector's error may quote a whole document. */
  static final int MAX_TEXT = 4000;

  static String capped(String text) {
    return text == null || text.length() <= MAX_TEXT ? text
        : text.substring(0, MAX_TEXT) + "… (" + (text.length() - MAX_TEXT) + " more characters)";
  }

  void log(UUID id, String line, Instant now) {
    jdbc.sql("insert into job_logs (job_id, at, line) values (?, ?, ?)").params(id, Timestamp.from(now), capped(line)).update();
  }

  List<String> logs(UUID id) {
    return jdbc.sql("select to_char(at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') || ' ' || line from job_logs "
            + "where job_id = ? order by seq").param(id).query(String.class).list();
  }

  JsonNode loadState(UUID connectionId, String key) {
    return jdbc.sql("select state::text from connection_states where connection_id = ? and state_key = ?")
        .params(connectionId, key).query(String.class).optional().map(json::readTree).orElse(null);
  }

  void saveState(UUID connectionId, String key, JsonNode state, Instant now) {
    jdbc.sql("""
            insert into connection_states (connection_id, state_key, state, updated_at) values (?, ?, ?::jsonb, ?)
            on conflict (connection_id, state_key) do update set state = excluded.state, updated_at = excluded.updated_at""")
        .params(connectionId, key, json.writeValueAsString(state), Timestamp.from(now))
        .update();
  }

  /** A stream's fields at the connection's last successful sync: names in order, and types where known. */
  record StreamShape(List<String> fields, Map<String, String> types) {}

  /** Each stream's shape at the connection's last successful sync, by state key. */
  Map<String, StreamShape> streamSchemas(UUID connectionId) {
    Map<String, StreamShape> schemas = new HashMap<>();
    jdbc.sql("select state_key, fields::text, types::text from connection_stream_schemas where connection_id = ?").param(connectionId)
        .query(rs -> {
          List<String> fields = new ArrayList<>();
          json.readTree(rs.getString(2)).forEach(f -> fields.add(f.asString()));
          Map<String, String> types = new HashMap<>();
          if (rs.getString(3) != null) {
            json.readTree(rs.getString(3)).properties().forEach(e -> types.put(e.getKey(), e.getValue().asString()));
          }
          schemas.put(rs.getString(1), new StreamShape(fields, types));
        });
    return schemas;
  }

  void saveStreamSchema(UUID connectionId, String stateKey, List<Field> fields, Instant now) {
    var types = json.createObjectNode();
    fields.forEach(f -> types.put(f.name(), SchemaChanges.typeOf(f)));
    jdbc.sql("""
            insert into connection_stream_schemas (connection_id, state_key, fields, types, updated_at) values (?, ?, ?::jsonb, ?::jsonb, ?)
            on conflict (connection_id, state_key) do update set fields = excluded.fields, types = excluded.types,
                updated_at = excluded.updated_at""")
        .params(connectionId, stateKey, json.writeValueAsString(fields.stream().map(Field::name).toList()),
            json.writeValueAsString(types), Timestamp.from(now))
        .update();
  }

  /** Marks streams to be read again from the start by the next sync, which {@link #enqueue}s next. */
  void requestRefresh(UUID connectionId, Collection<String> stateKeys, Instant now) {
    for (String key : stateKeys) {
      jdbc.sql("insert into connection_refreshes (connection_id, state_key, requested_at) values (?, ?, ?) on conflict do nothing")
          .params(connectionId, key, Timestamp.from(now))
          .update();
    }
  }

  Set<String> pendingRefreshes(UUID connectionId) {
    return Set.copyOf(jdbc.sql("select state_key from connection_refreshes where connection_id = ?").param(connectionId)
        .query(String.class).list());
  }

  /** The stream's first commit since its refresh: a later attempt resumes from here. */
  void refreshed(UUID connectionId, String stateKey) {
    jdbc.sql("delete from connection_refreshes where connection_id = ? and state_key = ?").params(connectionId, stateKey).update();
  }

  /** Connections whose first sync was requested at creation (sync_on_create) and never queued. */
  List<UUID[]> firstSyncsDue() {
    return jdbc.sql("""
            select c.organization_id, c.workspace_id, c.id from connections c
            join workspaces w on w.id = c.workspace_id and w.status = 'active' and w.deleted_at is null
            where c.sync_requested_at is not null and c.deleted_at is null and c.status = 'active'
              and not exists (select 1 from jobs j where j.connection_id = c.id and j.kind = 'sync')
            order by c.sync_requested_at limit 100""")
        .query((rs, row) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class)})
        .list();
  }
}
