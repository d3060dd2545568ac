package io.tributary.job;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A job's log ({@code job_logs}): lines in the order they were written, each cut at {@link
 * JobRepository#MAX_TEXT}.
 */
@Repository
public class JobLogRepository {

  private final JdbcClient jdbc;

  JobLogRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void log(UUID jobId, String line, Instant now) {
    jdbc.sql("insert into job_logs (job_id, at, line) values (?, ?, ?)")
        .params(jobId, Timestamp.from(now), JobRepository.capped(line))
        .update();
  }

  /** Each line prefixed with its UTC time, e.g. {@code 2026-01-01T10:00:00.000Z Job succeeded}. */
  public List<String> lines(UUID jobId) {
    return jdbc.sql(
            "select to_char(at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') || ' ' || line from job_logs "
                + "where job_id = ? order by seq")
        .param(jobId)
        .query(String.class)
        .list();
  }
}
