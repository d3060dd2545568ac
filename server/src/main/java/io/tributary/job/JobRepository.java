package io.tributary.job;

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

  private static final String COLUMNS = "id, organization_id, workspace_id, kind, source_id, connection_id, status, failure_type, "
      + "failure_reason, created_at, started_at, finished_at";

  private final JdbcClient jdbc;

  JobRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void insertRunning(Job job, Instant now) {
    jdbc.sql("insert into jobs (id, organization_id, workspace_id, kind, source_id, connection_id, status, created_at, started_at, "
            + "heartbeat_at) values (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)")
        .params(job.id(), job.organizationId(), job.workspaceId(), job.kind(), job.sourceId(), job.connectionId(),
            Timestamp.from(now), Timestamp.from(now), Timestamp.from(now))
        .update();
  }

  public void heartbeat(UUID id, Instant now) {
    jdbc.sql("update jobs set heartbeat_at = ? where id = ? and status = 'running'").params(Timestamp.from(now), id).update();
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

  /** Running jobs whose heartbeat stopped before {@code deadline} died with their node: they failed. */
  int failAbandoned(Instant deadline, Instant now) {
    return jdbc.sql("""
            update jobs set status = 'failed', failure_type = 'system_error',
                failure_reason = 'The node running this job stopped before it finished; start it again', finished_at = ?
            where status = 'running' and heartbeat_at < ?""")
        .params(Timestamp.from(now), Timestamp.from(deadline))
        .update();
  }

  private Job map(ResultSet rs, int row) throws SQLException {
    return new Job(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class), rs.getObject("workspace_id", UUID.class),
        rs.getString("kind"), rs.getObject("source_id", UUID.class), rs.getObject("connection_id", UUID.class), rs.getString("status"),
        rs.getString("failure_type"), rs.getString("failure_reason"), instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
