package io.tributary.job;

import io.tributary.database.AsyncCommit;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class JobRepository {

  private static final String COLUMNS = "id, organization_id, workspace_id, kind, source_id, connection_id, status, attempts, "
      + "failure_type, failure_reason, stats::text as stats, created_at, started_at, finished_at";

  private final JdbcClient jdbc;
  private final AsyncCommit asyncCommit;
  private final tools.jackson.databind.json.JsonMapper json;

  JobRepository(JdbcClient jdbc, tools.jackson.databind.json.JsonMapper json, AsyncCommit asyncCommit) {
    this.jdbc = jdbc;
    this.asyncCommit = asyncCommit;
    this.json = json;
  }

  /** A page of jobs, newest first. */
  public java.util.List<Job> page(UUID organizationId, UUID workspaceId, UUID connectionId, String status,
      io.tributary.common.PageRequest page) {
    java.util.List<Object> params = new java.util.ArrayList<>(java.util.List.of(organizationId));
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from jobs where organization_id = ?");
    if (workspaceId != null) {
      sql.append(" and workspace_id = ?");
      params.add(workspaceId);
    }
    if (connectionId != null) {
      sql.append(" and connection_id = ?");
      params.add(connectionId);
    }
    if (status != null) {
      sql.append(" and status = ?");
      params.add(status);
    }
    if (page.after() != null) {
      sql.append(" and (created_at, id) < (?, ?)");
      params.add(Timestamp.from(page.after().createdAt()));
      params.add(page.after().id());
    }
    sql.append(" order by created_at desc, id desc limit ?");
    params.add(page.fetchSize());
    return jdbc.sql(sql.toString()).params(params).query(this::map).list();
  }

  public void insertRunning(Job job, Instant now) {
    jdbc.sql("insert into jobs (id, organization_id, workspace_id, kind, source_id, connection_id, status, created_at, started_at, "
            + "heartbeat_at) values (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)")
        .params(job.id(), job.organizationId(), job.workspaceId(), job.kind(), job.sourceId(), job.connectionId(),
            Timestamp.from(now), Timestamp.from(now), Timestamp.from(now))
        .update();
  }

  public void heartbeat(UUID id, Instant now) {
    // a heartbeat lost in a crash is harmless: the node that wrote it is gone too
    asyncCommit.run(() -> jdbc.sql(AsyncCommit.RELAXED + "update jobs set heartbeat_at = ? from relaxed where id = ? and status = 'running'")
        .params(Timestamp.from(now), id).update());
  }

  public void finish(UUID id, String status, String failureType, String failureReason, Instant now) {
    jdbc.sql("update jobs set status = ?, failure_type = ?, failure_reason = ?, finished_at = ? where id = ? and status = 'running'")
        .params(status, failureType, failureReason, Timestamp.from(now), id)
        .update();
  }

  public Optional<Job> find(UUID organizationId, UUID workspaceId, UUID id) {
    return jdbc.sql("select " + COLUMNS + " from jobs where id = ? and organization_id = ? and (?::uuid is null or workspace_id = ?)")
        .params(id, organizationId, workspaceId, workspaceId)
        .query(this::map)
        .optional();
  }

  /**
   * Running jobs whose heartbeat stopped before {@code deadline} died with their node. A sync goes back to the queue
   * (another worker resumes it from its last commit) until it has used its attempts; anything else has failed.
   */
  int failAbandoned(Instant deadline, Instant now) {
    return jdbc.sql("""
            update jobs set
                status = case when kind = 'sync' and attempts < 3 then 'pending' else 'failed' end,
                worker = null,
                failure_type = 'system_error',
                failure_reason = 'The node running this job stopped before it finished',
                finished_at = case when kind = 'sync' and attempts < 3 then null else ?::timestamptz end
            where status = 'running' and heartbeat_at < ?""")
        .params(Timestamp.from(now), Timestamp.from(deadline))
        .update();
  }

  private Job map(ResultSet rs, int row) throws SQLException {
    return new Job(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class), rs.getObject("workspace_id", UUID.class),
        rs.getString("kind"), rs.getObject("source_id", UUID.class), rs.getObject("connection_id", UUID.class), rs.getString("status"),
        rs.getInt("attempts"), rs.getString("failure_type"), rs.getString("failure_reason"),
        rs.getString("stats") == null ? null : json.readTree(rs.getString("stats")), instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
