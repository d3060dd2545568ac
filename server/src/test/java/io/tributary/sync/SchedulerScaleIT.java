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
 * Many connections due at the same moment, run by {@code tributary worker --region eu} processes
 * (this server's worker serves only the US region, so the processes alone run them): every one is
 * started once, by one job, within the minute, while the API keeps answering. CI runs it with 1,000
 * connections and 2 workers: on a 2-core machine that also runs PostgreSQL, 2,000 took 58-68 s, no
 * margin for a shared machine's noise. {@code bench/run scheduler-scale 10000 4} runs the issue's
 * figure and writes the timings, and the PostgreSQL writes per sync, to docs/benchmarks.md.
 */
class SchedulerScaleIT extends ApiTest {

  @Autowired JdbcClient jdbc;
  private UUID organization;

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void connectionsDueTogetherAreAllStartedOnceByTwoWorkers() throws Exception {
    int connections = Integer.getInteger("tributary.bench.connections", 1000);
    int workerCount = Integer.getInteger("tributary.bench.workers", 2);
    int concurrency = Integer.getInteger("tributary.bench.concurrency", 16);
    var tenant = fixtures.tenant();
    organization = tenant.organizationId();
    String faker = fixtures.fakerTemplate(tenant, 1);
    fixtures.lakeTemplate(tenant, "Lake", "/local/scale-" + UUID.randomUUID(), Map.of());
    String scoped = fixtures.scopedToken(tenant, "scale-0");
    var source = fixtures.embeddedSource(scoped, faker, Map.of("count", 1));
    UUID connection = UUID.fromString(source.json().get("connection_ids").get(0).asString());

    // due once every worker is up, so the figures measure the queue rather than JVM starts
    cloneWorkspaces(connection, connections - 1, Instant.now().plus(Duration.ofDays(1)));

    // the syncs run in the EU region, which only the worker processes serve
    jdbc.sql("update workspaces set region_id = cast(? as uuid) where organization_id = ?")
        .params(ApiTest.EU_REGION, organization)
        .update();
    List<Process> workerProcesses = new ArrayList<>();
    for (int w = 0; w < workerCount; w++) {
      workerProcesses.add(worker(w, concurrency));
    }
    await("workers up")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              for (int w = 0; w < workerCount; w++) {
                Path log = Path.of("target", "scale-worker-" + w + ".log");
                if (!Files.exists(log) || !Files.readString(log).contains("Started ")) {
                  return false;
                }
              }
              return true;
            });
    Instant due = Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    jdbc.sql(
            "update connections set next_sync_at = ?, schedule_stale = false where organization_id = ?")
        .params(Timestamp.from(due), organization)
        .update();
    // counted from here: the fixture's own writes above are not the product's
    Map<String, long[]> writesBefore = tableWrites();
    long commitsBefore = commits();
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
      for (Process worker : workerProcesses) {
        worker.destroy();
      }
      for (Process worker : workerProcesses) {
        worker.waitFor(60, TimeUnit.SECONDS);
      }
    }

    assertThat(count("true")).as("one job per due connection").isEqualTo(connections);
    assertThat(count("status = 'succeeded'")).isEqualTo(connections);
    List<Long> perWorker =
        jdbc.sql(
                "select count(*) from jobs where organization_id = ? and kind = 'sync' group by worker order by 1 desc")
            .param(tenant.organizationId())
            .query(Long.class)
            .list();
    // a backend reports its statistics when idle for a while (PostgreSQL 15: 10 s); the workers'
    // connections closed with them, the server's pool is idle by now
    Thread.sleep(11_000);
    String writes = writesPerSync(writesBefore, tableWrites(), connections);
    double commitsPerSync = (commits() - commitsBefore) / (double) connections;
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

        ### Scheduler: %,d connections due at the same second, %d workers (%s)

        `%s` — %,d faker connections (1 record per stream, 3 streams, local JSON destination), each in its own
        workspace of one organization, all with `next_sync_at` at one instant; %d `tributary worker --region eu`
        processes (each `-Xmx512m`, `--concurrency %d`, `max-per-organization` 100000) and the test server (API and
        scheduler; its worker serves another region) share the queue; one machine (%d cores) also running PostgreSQL.

        | | seconds after the due instant |
        |---|---|
        | first sync started | %.1f |
        | last sync started | %.1f |
        | last sync finished | %.1f |

        Jobs: %,d, one per connection, all succeeded; jobs per worker process: %s. Syncs started per
        second, due instant to last start: %.0f. API during the run (`GET /api/v1/jobs?limit=10` every
        100 ms, %,d calls): p50 %.0f ms, p99 %.0f ms, max %.0f ms.

        PostgreSQL rows written per scheduled sync (pg_stat_user_tables, whole run ÷ %,d; every node's
        writes, scheduler, claim, heartbeats, logs, events): %s; %.1f committed transactions per sync
        (pg_stat_database, including the API sampler's reads).
        """,
            connections,
            workerCount,
            LocalDate.now(ZoneOffset.UTC),
            System.getProperty("tributary.bench.command", "bench/run scheduler-scale"),
            connections,
            workerCount,
            concurrency,
            Runtime.getRuntime().availableProcessors(),
            seconds(due, firstStart),
            seconds(due, lastStart),
            seconds(due, lastFinish),
            count("true"),
            perWorker.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).toList(),
            connections / Math.max(0.001, seconds(due, lastStart)),
            latencies.size(),
            p50,
            p99,
            max,
            connections,
            writes,
            commitsPerSync);
    System.out.println(report);
    String docs = System.getProperty("tributary.bench.docs");
    if (docs != null) {
      Files.writeString(
          Path.of(docs), report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    assertThat(perWorker).as("every worker took jobs").hasSize(workerCount);
    assertThat(Duration.between(due, lastStart))
        .as("every sync started within the minute it was due")
        .isLessThan(Duration.ofMinutes(1));
  }

  /**
   * Copies the first workspace's source, destination and connection into {@code copies} new
   * workspaces, set by set: ids are derived from a seed and the copy's number, so each table's
   * copies find the rows they belong to.
   */
  private void cloneWorkspaces(UUID connection, int copies, Instant due) {
    String seed = UUID.randomUUID().toString();
    String id = "md5(cast(? as text) || n || '%s')::uuid";
    String copiesOf = " from generate_series(1, ?) n, ";
    jdbc.sql(
            "insert into workspaces (id, organization_id, name, region_id, status, created_at, updated_at) select "
                + id.formatted("w")
                + ", w.organization_id, 'scale-' || n, w.region_id, w.status, now(), now()"
                + copiesOf
                + "workspaces w join connections c on c.workspace_id = w.id where c.id = ?")
        .params(seed, copies, connection)
        .update();
    jdbc.sql(
            "insert into sources (id, organization_id, workspace_id, source_template_id, definition_id, name, config, config_secrets,"
                + " created_at, updated_at) select "
                + id.formatted("s")
                + ", s.organization_id, "
                + id.formatted("w")
                + ", s.source_template_id, s.definition_id, s.name, s.config, s.config_secrets, now(), now()"
                + copiesOf
                + "sources s join connections c on c.source_id = s.id where c.id = ?")
        .params(seed, seed, copies, connection)
        .update();
    jdbc.sql(
            "insert into source_catalogs (source_id, catalog, discovered_at) select "
                + id.formatted("s")
                + ", k.catalog, now()"
                + copiesOf
                + "source_catalogs k join connections c on c.source_id = k.source_id where c.id = ?")
        .params(seed, copies, connection)
        .update();
    jdbc.sql(
            "insert into source_streams (source_id, stream_name, namespace, sync_mode, destination_sync_mode, cursor_field,"
                + " primary_key, created_at, updated_at) select "
                + id.formatted("s")
                + ", t.stream_name, t.namespace, t.sync_mode, t.destination_sync_mode, t.cursor_field, t.primary_key, now(), now()"
                + copiesOf
                + "source_streams t join connections c on c.source_id = t.source_id where c.id = ?")
        .params(seed, copies, connection)
        .update();
    jdbc.sql(
            "insert into destinations (id, organization_id, workspace_id, connection_template_id, definition_id, name, created_at,"
                + " updated_at) select "
                + id.formatted("d")
                + ", d.organization_id, "
                + id.formatted("w")
                + ", d.connection_template_id, d.definition_id, d.name, now(), now()"
                + copiesOf
                + "destinations d join connections c on c.destination_id = d.id where c.id = ?")
        .params(seed, seed, copies, connection)
        .update();
    jdbc.sql(
            "insert into connections (id, organization_id, workspace_id, source_id, destination_id, connection_template_id, status,"
                + " created_at, updated_at, next_sync_at, schedule_stale) select "
                + id.formatted("c")
                + ", c.organization_id, "
                + id.formatted("w")
                + ", "
                + id.formatted("s")
                + ", "
                + id.formatted("d")
                + ", c.connection_template_id, 'active', now(), now(), ?, false"
                + copiesOf
                + "connections c where c.id = ?")
        .params(seed, seed, seed, seed, Timestamp.from(due), copies, connection)
        .update();
  }

  /** Rows inserted, updated and deleted so far, by table of this database. */
  private Map<String, long[]> tableWrites() {
    Map<String, long[]> writes = new java.util.TreeMap<>();
    jdbc.sql("select relname, n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables")
        .query(
            (rs, row) ->
                writes.put(
                    rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}))
        .list();
    return writes;
  }

  private long commits() {
    return jdbc.sql("select xact_commit from pg_stat_database where datname = current_database()")
        .query(Long.class)
        .single();
  }

  /** "jobs 1.0 ins + 3.0 upd, …" for the tables written to, most written first. */
  private static String writesPerSync(
      Map<String, long[]> before, Map<String, long[]> after, int syncs) {
    List<String> parts = new ArrayList<>();
    double total = 0;
    List<Map.Entry<String, double[]>> rows = new ArrayList<>();
    for (var entry : after.entrySet()) {
      long[] was = before.getOrDefault(entry.getKey(), new long[3]);
      double[] per = new double[3];
      for (int i = 0; i < 3; i++) {
        per[i] = (entry.getValue()[i] - was[i]) / (double) syncs;
      }
      if (per[0] + per[1] + per[2] >= 0.05) {
        rows.add(Map.entry(entry.getKey(), per));
        total += per[0] + per[1] + per[2];
      }
    }
    rows.sort((a, b) -> Double.compare(sum(b.getValue()), sum(a.getValue())));
    for (var row : rows) {
      double[] per = row.getValue();
      parts.add(
          String.format(
              Locale.ROOT,
              "`%s` %.1f ins + %.1f upd + %.1f del",
              row.getKey(),
              per[0],
              per[1],
              per[2]));
    }
    return String.format(Locale.ROOT, "%.1f rows in all — ", total) + String.join(", ", parts);
  }

  private static double sum(double[] values) {
    return values[0] + values[1] + values[2];
  }

  private static Process worker(int number, int concurrency) throws IOException {
    return WorkerProcess.start(
        "scale-worker-" + number + ".log",
        List.of("tributary.worker.max-per-organization=100000"),
        "--region",
        "eu",
        "--concurrency",
        String.valueOf(concurrency));
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
