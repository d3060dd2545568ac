package io.tributary.job;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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

  /** A line as it was logged, at {@code at}. */
  public record Line(Instant at, String text) {}

  /** Most lines one statement appends; its parameters stay far below PostgreSQL's 65,535. */
  private static final int LINES_PER_STATEMENT = 1_000;

  public void log(UUID jobId, String line, Instant now) {
    append(jobId, List.of(new Line(now, line)));
  }

  /** Appends {@code lines} in their order, a statement per thousand lines rather than per line. */
  public void append(UUID jobId, List<Line> lines) {
    for (int from = 0; from < lines.size(); from += LINES_PER_STATEMENT) {
      List<Line> chunk = lines.subList(from, Math.min(lines.size(), from + LINES_PER_STATEMENT));
      List<Object> params = new ArrayList<>(chunk.size() * 3);
      for (Line line : chunk) {
        params.add(jobId);
        params.add(Timestamp.from(line.at()));
        params.add(JobRepository.capped(line.text()));
      }
      // rows take their seq in the order of the VALUES list
      jdbc.sql(
              "insert into job_logs (job_id, at, line) values "
                  + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?)")))
          .params(params)
          .update();
    }
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
