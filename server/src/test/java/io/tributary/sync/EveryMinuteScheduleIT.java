package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.WorkerProcess;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real every-minute cron, in real minutes, on two {@code tributary worker --region eu} processes
 * (and three schedulers, counting this server's): each minute's sync starts within seconds of the
 * minute, runs once, never overlaps the previous one, and goes on when the worker that ran the last
 * one is killed.
 */
class EveryMinuteScheduleIT extends ApiTest {

  /**
   * How late a run may start after its minute on a shared 2-core machine: scheduler and worker both
   * poll each second.
   */
  static final Duration ON_TIME = Duration.ofSeconds(10);

  @Autowired JdbcClient jdbc;

  record Run(Instant started, Instant finished, String status, String workerPid) {}

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void everyMinuteOnTimeOnceAndOnWhicheverWorkerIsAlive() throws Exception {
    var tenant = fixtures.tenant();
    jdbc.sql("update organizations set min_sync_interval_seconds = 60 where id = ?")
        .param(tenant.organizationId())
        .update();
    UUID connection =
        fixtures.everyMinuteConnection(
            tenant, "/local/every-minute-" + UUID.randomUUID(), EU_REGION);

    Process a = WorkerProcess.start("every-minute-a.log", List.of(), "--region", "eu");
    Process b = WorkerProcess.start("every-minute-b.log", List.of(), "--region", "eu");
    try {
      await("first run")
          .atMost(Duration.ofSeconds(100))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> runs(connection).stream().filter(r -> r.finished() != null).count() >= 1);
      String firstWorker = runs(connection).getFirst().workerPid();
      Process killed = Long.toString(a.pid()).equals(firstWorker) ? a : b;
      Process survivor = killed == a ? b : a;
      killed.destroyForcibly(); // the node that ran the last sync disappears between runs
      killed.waitFor(30, TimeUnit.SECONDS);

      await("two more runs")
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> runs(connection).stream().filter(r -> r.finished() != null).count() >= 3);
      List<Run> runs = runs(connection).subList(0, 3);

      assertThat(runs).extracting(Run::status).containsOnly("succeeded");
      // the first run may wait for the two worker JVMs, started just before it, to come up (seen
      // 12 s late once on this shared machine); the runs after it find them running
      for (Run run : runs.subList(1, 3)) {
        Instant minute = run.started().truncatedTo(ChronoUnit.MINUTES);
        assertThat(Duration.between(minute, run.started()))
            .as("started on time: %s", run.started())
            .isLessThan(ON_TIME);
      }
      assertThat(runs.stream().map(r -> r.started().truncatedTo(ChronoUnit.MINUTES)).distinct())
          .as("one run a minute")
          .hasSize(3);
      for (int i = 1; i < runs.size(); i++) {
        assertThat(runs.get(i).started())
            .as("never two at once")
            .isAfterOrEqualTo(runs.get(i - 1).finished());
      }
      assertThat(runs.subList(1, 3))
          .extracting(Run::workerPid)
          .as("the surviving worker took over")
          .containsOnly(Long.toString(survivor.pid()));
    } finally {
      a.destroyForcibly();
      b.destroyForcibly();
      jdbc.sql("update connections set status = 'inactive' where id = ?")
          .param(connection)
          .update();
    }
  }

  private List<Run> runs(UUID connection) {
    return jdbc.sql(
            """
            select started_at, finished_at, status, split_part(worker, '/', 2) from jobs
            where connection_id = ? and kind = 'sync' and started_at is not null order by started_at""")
        .param(connection)
        .query(
            (rs, row) ->
                new Run(
                    rs.getTimestamp(1).toInstant(),
                    instant(rs.getTimestamp(2)),
                    rs.getString(3),
                    rs.getString(4)))
        .list();
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
