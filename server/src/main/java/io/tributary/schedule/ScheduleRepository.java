package io.tributary.schedule;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Connections' next sync times. Rows are taken {@code for update skip locked}, so schedulers on
 * several nodes share the due connections between them and each due run is enqueued once.
 */
@Repository
class ScheduleRepository {

  /** A connection's effective schedule: its own cron when set, else its template's. */
  private static final String EFFECTIVE =
      """
      coalesce(c.cron_expression, t.cron_expression) as cron,
      case when c.cron_expression is not null then c.cron_time_zone else t.cron_time_zone end as zone""";

  private final JdbcClient jdbc;

  ScheduleRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A connection's schedule; {@code dueAt} is the time it was due (null when its schedule changed).
   */
  record Scheduled(UUID id, UUID organizationId, String cron, String zone, Instant dueAt) {}

  /** Connections whose schedule changed since their next sync time was computed. */
  List<Scheduled> stale(int limit) {
    return jdbc.sql(
            "select c.id, c.organization_id, null::timestamptz as due_at, "
                + EFFECTIVE
                + """
             from connections c join connection_templates t on t.id = c.connection_template_id
            where c.schedule_stale and c.deleted_at is null
            for update of c skip locked limit ?""")
        .param(limit)
        .query(this::scheduled)
        .list();
  }

  /**
   * Connections due at {@code now}, whatever their status: the job queue decides whether one may
   * sync.
   */
  List<Scheduled> due(Instant now, int limit) {
    return jdbc.sql(
            "select c.id, c.organization_id, c.next_sync_at as due_at, "
                + EFFECTIVE
                + """
             from connections c
             join connection_templates t on t.id = c.connection_template_id
            where c.next_sync_at <= ? and c.deleted_at is null and not c.schedule_stale
            order by c.next_sync_at
            for update of c skip locked limit ?""")
        .params(Timestamp.from(now), limit)
        .query(this::scheduled)
        .list();
  }

  void setNext(UUID connectionId, Instant next) {
    jdbc.sql("update connections set next_sync_at = ?, schedule_stale = false where id = ?")
        .params(next == null ? null : Timestamp.from(next), connectionId)
        .update();
  }

  /** A connection made with {@code sync_on_create}. */
  record FirstSync(UUID organizationId, UUID connectionId) {}

  /**
   * Active connections whose first sync was requested at creation ({@code sync_on_create}) and
   * never queued. {@code first_sync_pending} keeps this to the few waiting (queuing a sync clears
   * it) rather than every connection ever made with {@code sync_on_create}.
   */
  List<FirstSync> firstSyncsDue() {
    return jdbc.sql(
            """
            select c.organization_id, c.id from connections c
            join workspaces w on w.id = c.workspace_id and w.status = 'active' and w.deleted_at is null
            where c.first_sync_pending and c.deleted_at is null and c.status = 'active'
              and not exists (select 1 from jobs j where j.connection_id = c.id and j.kind = 'sync')
            order by c.sync_requested_at limit 100""")
        .query((rs, row) -> new FirstSync(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
        .list();
  }

  private Scheduled scheduled(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    java.sql.Timestamp dueAt = rs.getTimestamp("due_at");
    return new Scheduled(
        rs.getObject(1, UUID.class),
        rs.getObject(2, UUID.class),
        rs.getString("cron"),
        rs.getString("zone"),
        dueAt == null ? null : dueAt.toInstant());
  }
}
