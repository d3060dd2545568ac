package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.SourceDatabase;
import io.tributary.testing.WorkerProcess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A worker process killed with SIGKILL in the middle of a large sync: another worker takes the job
 * over and the destination ends equal to the source, without duplicates, while readers of an
 * overwritten table never see it half loaded. Workers are the packaged server's {@code tributary
 * worker --region eu}; the EU workspace keeps the test server's own (US) worker out of it.
 */
class SyncCrashIT extends ApiTest {

  static final int EVENTS = 1_500_000;
  static final int ACCOUNTS = 200_000;

  @Test
  void aSyncKilledMidwayIsFinishedByAnotherWorkerWithNothingLostOrDoubled() throws Exception {
    SourceDatabase source = SourceDatabase.create();
    source.execute(
        """
        create table events (id bigint primary key, kind text, amount numeric(12,2), at timestamptz, payload text);
        insert into events select n, 'k' || (n %% 7), n * 0.25, timestamptz '2026-01-01' + n * interval '1 second', md5(n::text)
          from generate_series(1, %d) n;
        create table accounts (id bigint primary key, name text);
        insert into accounts select n, 'account ' || n from generate_series(1, %d) n;"""
            .formatted(EVENTS, ACCOUNTS));
    SourceDatabase warehouse = SourceDatabase.create();
    var tenant = fixtures.tenant();
    String sourceTemplate = fixtures.postgresTemplate(tenant, source);
    fixtures.warehouseTemplate(tenant, warehouse, Map.of());
    String scoped = fixtures.scopedToken(tenant, "eu customer", EU_REGION);
    var created = fixtures.embeddedSource(scoped, sourceTemplate, source.userConfig("unused"));
    String sourceId = created.json().get("id").asString();
    String connectionId = created.json().get("connection_ids").get(0).asString();
    fixtures.selectStream(scoped, sourceId, Fixtures.dedupedStream("events", "id"));
    fixtures.selectStream(
        scoped,
        sourceId,
        Map.of(
            "stream_name",
            "accounts",
            "sync_mode",
            "full_refresh",
            "destination_sync_mode",
            "overwrite"));

    Set<Long> accountCountsSeen = ConcurrentHashMap.newKeySet();
    Connection readerConnection = DriverManager.getConnection(warehouse.jdbcUrl());
    ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();
    reader.scheduleWithFixedDelay(
        () -> accountCountsSeen.add(count(readerConnection, "\"eu customer\".accounts")),
        0,
        20,
        TimeUnit.MILLISECONDS);
    Process first = worker("first");
    Process second = null;
    try {
      String job = fixtures.startSync(tenant.operatorToken(), connectionId);
      await("part of the events committed")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fixtures.recordsCommitted(tenant.operatorToken(), job, "events") > 0);
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      first.waitFor(30, TimeUnit.SECONDS);
      assertThat(fixtures.jobStatus(tenant.operatorToken(), job))
          .as("killed in the middle")
          .isEqualTo("running");

      second = worker("second");
      JsonNode finished =
          fixtures.awaitFinished(tenant.operatorToken(), job, Duration.ofMinutes(4));
      assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
      assertThat(finished.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
    } finally {
      reader.shutdown();
      reader.awaitTermination(1, TimeUnit.MINUTES);
      readerConnection.close();
      first.destroyForcibly();
      if (second != null) {
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
      }
    }

    String eventsDigest =
        "select count(*), count(distinct id), sum(amount), md5(string_agg(id || kind || amount || payload, ',' order by id)) from ";
    assertThat(warehouse.row(eventsDigest + "\"eu customer\".events"))
        .isEqualTo(source.row(eventsDigest + "events"))
        .first()
        .isEqualTo(Long.toString(EVENTS));
    String accountsDigest = "select count(*), md5(string_agg(id || name, ',' order by id)) from ";
    assertThat(warehouse.row(accountsDigest + "\"eu customer\".accounts"))
        .isEqualTo(source.row(accountsDigest + "accounts"));
    assertThat(accountCountsSeen)
        .as("an overwritten table is absent or whole, never partial")
        .isSubsetOf(Set.of(-1L, (long) ACCOUNTS));
  }

  private static Process worker(String name) throws java.io.IOException {
    return WorkerProcess.start(
        "crash-worker-" + name + ".log",
        List.of("tributary.worker.commit-records=100000"),
        "--region",
        "eu");
  }

  /** The table's row count, or -1 while it does not exist. */
  private static long count(Connection connection, String table) {
    try (var s = connection.createStatement();
        var rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException missing) {
      return -1L;
    }
  }
}
