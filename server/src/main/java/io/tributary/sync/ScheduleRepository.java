package io.tributary.sync;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Connections' next sync times. Rows are taken {@code for update skip locked}, so schedulers on several nodes share
 * the due connections between them and each due run is enqueued once.
 */
@Repository
class ScheduleRepository {

  /** A connection's effective schedule: its own cron when set, else its template's. */
  private static final String EFFECTIVE = """
      coalesce(c.cron_expression, t.cron_expression) as cron,
      case when c.cron_expression is not null then c.cron_time_zone else t.cron_time_zone end as zone""";

  private final JdbcClient jdbc;

  ScheduleRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  record Scheduled(UUID id, UUID organizationId, UUID workspaceId, boolean runnable, String cron, String zone) {}

  /** Connections whose schedule changed since their next sync time was computed. */
  List<Scheduled> stale(int limit) {
    return jdbc.sql("select c.id, c.organization_id, c.workspace_id, false, " + EFFECTIVE + """
             from connections c join connection_templates t on t.id = c.connection_template_id
            where c.schedule_stale and c.deleted_at is null
            for update of c skip locked limit ?""")
        .param(limit)
        .query(this::scheduled)
        .list();
  }

  /** Connections due at {@code now}; runnable when the connection and its workspace are active. */
  List<Scheduled> due(Instant now, int limit) {
    return jdbc.sql("select c.id, c.organization_id, c.workspace_id, c.status = 'active' and w.status = 'active', " + EFFECTIVE + """
             from connections c
             join connection_templates t on t.id = c.connection_template_id
             join workspaces w on w.id = c.workspace_id
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

  private Scheduled scheduled(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Scheduled(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getBoolean(4),
        rs.getString("cron"), rs.getString("zone"));
  }
}
