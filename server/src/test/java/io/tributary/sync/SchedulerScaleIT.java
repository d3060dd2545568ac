package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Many connections due at the same moment, run by two workers (this server's and a {@code tributary
 * worker} process): every one is started once, by one job, within the minute, while the API keeps
 * answering. CI runs it with 2,000 connections, as {@code bench/run scheduler-scale} does, which
 * also writes the timings to docs/benchmarks.md.
 */
class SchedulerScaleIT extends ApiTest {

  @Autowired JdbcClient jdbc;
  private UUID organization;

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void connectionsDueTogetherAreAllStartedOnceByTwoWorkers() throws Exception {
    int connections = Integer.getInteger("tributary.bench.connections", 2000);
    var tenant = fixtures.tenant();
    organization = tenant.organizationId();
    String faker = fixtures.fakerTemplate(tenant, 1);
    fixtures.lakeTemplate(tenant, "Lake", "/local/scale-" + UUID.randomUUID(), Map.of());
    String scoped = fixtures.scopedToken(tenant, "scale-0");
    var source = fixtures.embeddedSource(scoped, faker, Map.of("count", 1));
    UUID connection = UUID.fromString(source.json().get("connection_ids").get(0).asString());

    Instant due = Instant.now().plusSeconds(20).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    cloneWorkspaces(connection, connections - 1, due);
    jdbc.sql("update connections set next_sync_at = ?, schedule_stale = false where id = ?")
        .params(Timestamp.from(due), connection)
        .update();

    Process worker = worker();
    List<Double> latencies = new ArrayList<>();
    // one API call every 100 ms while the syncs start, each timed
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleWithFixedDelay(
        () -> {
          long start = System.nanoTime();
          var page = http.get("/api/v1/jobs?limit=10", tenant.operatorToken());
          if (page.status() == 200) {
            synchronized (latencies) {
              latencies.add((System.nanoTime() - start) / 1e6);
            }
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    try {
      await("all started")
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> count("started_at is not null") >= connections);
      await("all finished")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> count("status in ('succeeded', 'failed', 'cancelled')") >= connections);
    } finally {
      sampler.shutdown();
      sampler.awaitTermination(1, TimeUnit.MINUTES);
      worker.destroy();
      worker.waitFor(60, TimeUnit.SECONDS);
    }

    assertThat(count("true")).as("one job per due connection").isEqualTo(connections);
    assertThat(count("status = 'succeeded'")).isEqualTo(connections);
    List<String> workers =
        jdbc.sql(
                "select distinct split_part(worker, '/', 2) from jobs where organization_id = ? and kind = 'sync'")
            .param(tenant.organizationId())
            .query(String.class)
            .list();
    Instant firstStart = instant("min(started_at)");
    Instant lastStart = instant("max(started_at)");
    Instant lastFinish = instant("max(finished_at)");
    double p50;
    double p99;
    double max;
    synchronized (latencies) {
      List<Double> sorted = latencies.stream().sorted().toList();
      assertThat(sorted).isNotEmpty();
      p50 = sorted.get(sorted.size() / 2);
      p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
      max = sorted.getLast();
    }
    String report =
        String.format(
            Locale.ROOT,
            """

        ## Scheduler: %,d connections due at the same second, two workers (%s)

        `%s` — %,d faker connections (1 record per stream, 3 streams, local JSON destination), each in its own
        workspace, all with `next_sync_at` at one instant; the test server's worker (concurrency 2) and a `tributary
        worker` process (concurrency 8) share the queue; one machine (%d cores) also running PostgreSQL.

        | | seconds after the due instant |
        |---|---|
        | first sync started | %.1f |
        | last sync started | %.1f |
        | last sync finished | %.1f |

        Jobs: %,d, one per connection, all succeeded; run by %d worker processes. API during the run
        (`GET /api/v1/jobs?limit=10` every 100 ms, %,d calls): p50 %.0f ms, p99 %.0f ms, max %.0f ms.
        """,
            connections,
            LocalDate.now(ZoneOffset.UTC),
            System.getProperty("tributary.bench.command", "bench/run scheduler-scale"),
            connections,
            Runtime.getRuntime().availableProcessors(),
            seconds(due, firstStart),
            seconds(due, lastStart),
            seconds(due, lastFinish),
            count("true"),
            workers.size(),
            latencies.size(),
            p50,
            p99,
            max);
    System.out.println(report);
    String docs = System.getProperty("tributary.bench.docs");
    if (docs != null) {
      Files.writeString(Path.of(docs), report, StandardOpenOption.APPEND);
    }
    assertThat(workers).as("both workers took jobs").hasSize(2);
    assertThat(Duration.between(due, lastStart))
        .as("every sync started within the minute it was due")
        .isLessThan(Duration.ofMinutes(1));
  }

  /**
   * Copies the first workspace's source, destination and connection into {@code copies} new
   * workspaces.
   */
  private void cloneWorkspaces(UUID connection, int copies, Instant due) {
    var c =
        jdbc.sql("select workspace_id, source_id, destination_id from connections where id = ?")
            .param(connection)
            .query(
                (rs, row) ->
                    new UUID[] {
                      rs.getObject(1, UUID.class),
                      rs.getObject(2, UUID.class),
                      rs.getObject(3, UUID.class)
                    })
            .single();
    for (int n = 1; n <= copies; n++) {
      UUID workspace = UUID.randomUUID();
      UUID source = UUID.randomUUID();
      UUID destination = UUID.randomUUID();
      jdbc.sql(
              """
              insert into workspaces (id, organization_id, name, region_id, status, created_at, updated_at)
              select ?, organization_id, ?, region_id, status, now(), now() from workspaces where id = ?""")
          .params(workspace, "scale-" + n, c[0])
          .update();
      jdbc.sql(
              """
              insert into sources (id, organization_id, workspace_id, source_template_id, definition_id, name, config, config_secrets,
                  created_at, updated_at)
              select ?, organization_id, ?, source_template_id, definition_id, name, config, config_secrets, now(), now()
              from sources where id = ?""")
          .params(source, workspace, c[1])
          .update();
      jdbc.sql(
              "insert into source_catalogs (source_id, catalog, discovered_at) select ?, catalog, now() from source_catalogs where source_id = ?")
          .params(source, c[1])
          .update();
      jdbc.sql(
              """
              insert into source_streams (source_id, stream_name, namespace, sync_mode, destination_sync_mode, cursor_field, primary_key,
                  created_at, updated_at)
              select ?, stream_name, namespace, sync_mode, destination_sync_mode, cursor_field, primary_key, now(), now()
              from source_streams where source_id = ?""")
          .params(source, c[1])
          .update();
      jdbc.sql(
              """
              insert into destinations (id, organization_id, workspace_id, connection_template_id, definition_id, name, created_at, updated_at)
              select ?, organization_id, ?, connection_template_id, definition_id, name, now(), now() from destinations where id = ?""")
          .params(destination, workspace, c[2])
          .update();
      jdbc.sql(
              """
              insert into connections (id, organization_id, workspace_id, source_id, destination_id, connection_template_id, status,
                  created_at, updated_at, next_sync_at, schedule_stale)
              select ?, organization_id, ?, ?, ?, connection_template_id, 'active', now(), now(), ?, false
              from connections where id = ?""")
          .params(
              UUID.randomUUID(), workspace, source, destination, Timestamp.from(due), connection)
          .update();
    }
  }

  private static Process worker() throws IOException {
    return WorkerProcess.start(
        "scale-worker.log",
        List.of("tributary.worker.max-per-organization=100000"),
        "--concurrency",
        "8");
  }

  private long count(String condition) {
    return jdbc.sql(
            "select count(*) from jobs where organization_id = ? and kind = 'sync' and "
                + condition)
        .param(organization)
        .query(Long.class)
        .single();
  }

  private Instant instant(String aggregate) {
    return jdbc.sql(
            "select " + aggregate + " from jobs where organization_id = ? and kind = 'sync'")
        .param(organization)
        .query(Timestamp.class)
        .single()
        .toInstant();
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
