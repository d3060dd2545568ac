package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import io.tributary.testing.SourceDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import tools.jackson.databind.JsonNode;

/**
 * Syncs through the API: PostgreSQL into PostgreSQL, started by hand or on creation, followed,
 * cancelled.
 */
class SyncApiTest extends ApiTest {

  @LocalManagementPort int managementPort;

  static final String PASSWORD = "source-password-" + java.util.UUID.randomUUID();

  record World(
      Fixtures.Tenant tenant, String scoped, String connectionId, SourceDatabase warehouse) {}

  @Test
  void aManualSyncMovesThePostgresTablesIntoTheWorkspacesSchema() throws Exception {
    SourceDatabase source = SourceDatabase.create();
    source.execute(
        """
        create table users (id bigint primary key, name text, updated_at timestamptz);
        create table orders (id bigint primary key, user_id bigint, total numeric(10,2));
        insert into users select n, 'u' || n, now() from generate_series(1, 500) n;
        insert into orders select n, n % 50, n * 1.5 from generate_series(1, 800) n;""");
    var tenant = fixtures.tenant();
    String sourceTemplate = fixtures.postgresTemplate(tenant, source);
    World w = worldWith(tenant, sourceTemplate, source.userConfig(PASSWORD), false);

    var started =
        http.post(
            "/api/v1/connections/" + w.connectionId() + "/sync", tenant.operatorToken(), null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String job = started.json().get("id").asString();
    assertThat(started.json().get("status").asString()).isIn("pending", "running");
    assertThat(
            http.post(
                    "/api/v1/connections/" + w.connectionId() + "/sync",
                    tenant.operatorToken(),
                    null)
                .status())
        .as("one sync at a time")
        .isIn(409, 202);

    JsonNode finished = fixtures.awaitFinished(tenant.operatorToken(), job);
    assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
    assertThat(finished.get("streams").get("users").get("records_committed").asLong())
        .isEqualTo(500);
    assertThat(w.warehouse().count("\"acme corp\".users")).isEqualTo(500);
    assertThat(w.warehouse().count("\"acme corp\".orders")).isEqualTo(800);

    var logs = http.get("/api/v1/jobs/" + job + "/logs", w.scoped());
    assertThat(logs.status()).isEqualTo(200);
    assertThat(logs.json().get("logs").toString())
        .contains("Job succeeded")
        .doesNotContain(PASSWORD);
    assertThat(http.get("/api/v1/jobs?connection_id=" + w.connectionId(), w.scoped()).dataSize())
        .isPositive();
    assertThat(
            http.post("/api/v1/connections/" + w.connectionId() + "/sync", w.scoped(), null)
                .status())
        .as("end users do not start syncs")
        .isEqualTo(403);

    assertThat(new Http(managementPort).get("/metrics", null).body())
        .containsPattern("tributary_sync_records_committed_total\\S* [0-9.E]+")
        .containsPattern("tributary_sync_bytes_committed_total\\S* [0-9.E]+")
        .containsPattern("tributary_sync_jobs_total\\{[^}]*status=\"succeeded\"")
        .containsPattern("tributary_sync_attempt_duration_seconds_count\\S* [0-9.E]+")
        .contains("tributary_sync_running");
  }

  @Test
  void aRefreshReadsAnIncrementalStreamAgainFromTheStart() throws Exception {
    Deduped d = dedupedUsers();
    var tenant = d.world().tenant();
    World w = d.world();
    assertThat(fixtures.sync(tenant.operatorToken(), w.connectionId()).get("status").asString())
        .isEqualTo("succeeded");
    assertThat(w.warehouse().count("\"acme corp\".users")).isEqualTo(300);

    // rows lost at the destination are not read again by an incremental sync, only by a refresh
    try (Connection c = DriverManager.getConnection(w.warehouse().jdbcUrl());
        var s = c.createStatement()) {
      s.execute("delete from \"acme corp\".users where id <= 100");
    }
    fixtures.sync(tenant.operatorToken(), w.connectionId());
    assertThat(w.warehouse().count("\"acme corp\".users")).isEqualTo(200);

    var unknown =
        http.post(
            "/api/v1/connections/" + w.connectionId() + "/refresh",
            tenant.operatorToken(),
            Map.of("streams", List.of("nope")));
    assertThat(unknown.status()).isEqualTo(404);
    var refresh =
        http.post(
            "/api/v1/connections/" + w.connectionId() + "/refresh",
            tenant.operatorToken(),
            Map.of("streams", List.of("users")));
    assertThat(refresh.status()).as(refresh.toString()).isEqualTo(202);
    JsonNode refreshed =
        fixtures.awaitFinished(tenant.operatorToken(), refresh.json().get("id").asString());
    assertThat(refreshed.get("status").asString()).isEqualTo("succeeded");
    assertThat(refreshed.get("streams").get("users").get("records_committed").asLong())
        .isEqualTo(300);
    assertThat(w.warehouse().count("\"acme corp\".users")).isEqualTo(300);
    assertThat(
            http.get(
                    "/api/v1/jobs/" + refresh.json().get("id").asString() + "/logs",
                    tenant.operatorToken())
                .body())
        .contains("refreshing");
  }

  @Test
  void anIncrementalStreamWhoseTableMovedIsReadAgainIntoItsNewTable() throws Exception {
    Deduped d = dedupedUsers();
    var tenant = d.world().tenant();
    World w = d.world();
    SourceDatabase source = d.source();
    assertThat(fixtures.sync(tenant.operatorToken(), w.connectionId()).get("status").asString())
        .isEqualTo("succeeded");
    assertThat(w.warehouse().count("\"acme corp\".users")).isEqualTo(300);

    // the connection template's namespace is ${WORKSPACE_NAME}: a rename moves the stream's table
    String workspace = fixtures.workspaceId(w.scoped()).toString();
    var renamed =
        http.put(
            "/api/v1/workspaces/" + workspace,
            tenant.operatorToken(),
            Map.of("name", "acme renamed"));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    JsonNode moved = fixtures.sync(tenant.operatorToken(), w.connectionId());
    assertThat(moved.get("status").asString()).isEqualTo("succeeded");
    assertThat(w.warehouse().count("\"acme renamed\".users"))
        .as("the new table holds every row, not only those after the rename")
        .isEqualTo(300);
    assertThat(
            http.get("/api/v1/jobs/" + moved.get("id").asString() + "/logs", tenant.operatorToken())
                .body())
        .contains("now writes to acme renamed.users, not to acme corp.users");

    source.execute("insert into users values (301, 'u301', timestamptz '2026-02-01')");
    JsonNode resumed = fixtures.sync(tenant.operatorToken(), w.connectionId());
    assertThat(resumed.get("streams").get("users").get("records_committed").asLong())
        .as("resumed where the new table's state stands")
        .isLessThan(300);
    assertThat(w.warehouse().count("\"acme renamed\".users")).isEqualTo(301);
  }

  @Test
  void aStreamDeduplicatedByAnotherKeyIsReadAgain() throws Exception {
    Deduped d = dedupedUsers();
    var tenant = d.world().tenant();
    World w = d.world();
    String sourceId = d.sourceId();
    fixtures.sync(tenant.operatorToken(), w.connectionId());
    assertThat(
            fixtures
                .sync(tenant.operatorToken(), w.connectionId())
                .get("streams")
                .get("users")
                .get("records_committed")
                .asLong())
        .as("an unchanged stream resumes")
        .isLessThan(300);

    Map<String, Object> rekeyed =
        new java.util.HashMap<>(Fixtures.dedupedStream("users", "updated_at"));
    rekeyed.put("primary_key", List.of(List.of("id"), List.of("name")));
    fixtures.selectStream(w.scoped(), sourceId, rekeyed);
    JsonNode again = fixtures.sync(tenant.operatorToken(), w.connectionId());
    assertThat(again.get("status").asString()).isEqualTo("succeeded");
    assertThat(again.get("streams").get("users").get("records_committed").asLong()).isEqualTo(300);
    assertThat(
            http.get("/api/v1/jobs/" + again.get("id").asString() + "/logs", tenant.operatorToken())
                .body())
        .contains("is now deduplicated by [[id], [name]], not [[id]]");
  }

  @Test
  void syncOnCreateRunsTheFirstSyncByItself() {
    var tenant = fixtures.tenant();
    String faker = fixtures.fakerTemplate(tenant, 3);
    World w = worldWith(tenant, faker, Map.of("count", 300), true);

    await("first sync of " + w.connectionId())
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                http.get("/api/v1/jobs?connection_id=" + w.connectionId(), tenant.operatorToken())
                        .dataSize()
                    > 0);
    String job =
        http.get("/api/v1/jobs?connection_id=" + w.connectionId(), tenant.operatorToken())
            .json()
            .get("data")
            .get(0)
            .get("id")
            .asString();
    assertThat(fixtures.awaitFinished(tenant.operatorToken(), job).get("status").asString())
        .isEqualTo("succeeded");
    assertThat(w.warehouse().count("\"acme corp\".users")).isEqualTo(300);
  }

  @Test
  void cancellingStopsARunningSyncAndInactiveWorkspacesRunNothing() {
    var tenant = fixtures.tenant();
    String faker = fixtures.fakerTemplate(tenant, 3);
    World w = worldWith(tenant, faker, Map.of("count", 3_000_000), false);

    String job = fixtures.startSync(tenant.operatorToken(), w.connectionId());
    await("job running")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fixtures.jobStatus(tenant.operatorToken(), job).equals("running"));
    var cancelled = http.post("/api/v1/jobs/" + job + "/cancel", tenant.operatorToken(), null);
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    await("job cancelled")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fixtures.jobStatus(tenant.operatorToken(), job).equals("cancelled"));

    String workspace = fixtures.workspaceId(w.scoped()).toString();
    http.put(
        "/api/v1/workspaces/" + workspace, tenant.operatorToken(), Map.of("status", "inactive"));
    var refused =
        http.post(
            "/api/v1/connections/" + w.connectionId() + "/sync", tenant.operatorToken(), null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("detail").asString()).contains("inactive");
  }

  @Test
  void deletingASourceOrItsWorkspaceCancelsTheirRunningSyncs() {
    var tenant = fixtures.tenant();
    String faker = fixtures.fakerTemplate(tenant, 3);
    World w = worldWith(tenant, faker, Map.of("count", 3_000_000), false);
    String sourceId =
        http.get("/api/v1/connections/" + w.connectionId(), tenant.operatorToken())
            .json()
            .get("source_id")
            .asString();

    String job = fixtures.startSync(tenant.operatorToken(), w.connectionId());
    await("job running")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fixtures.jobStatus(tenant.operatorToken(), job).equals("running"));
    var deleted = http.delete("/api/v1/embedded/sources/" + sourceId, w.scoped());
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    await("the deleted source's sync cancelled")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fixtures.jobStatus(tenant.operatorToken(), job).equals("cancelled"));

    var other = fixtures.embeddedSource(w.scoped(), faker, Map.of("count", 3_000_000));
    String connection = other.json().get("connection_ids").get(0).asString();
    String workspace = fixtures.workspaceId(w.scoped()).toString();
    String second = fixtures.startSync(tenant.operatorToken(), connection);
    await("second job running")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fixtures.jobStatus(tenant.operatorToken(), second).equals("running"));
    var gone = http.delete("/api/v1/workspaces/" + workspace, tenant.operatorToken());
    assertThat(gone.status()).as(gone.toString()).isIn(200, 204);
    await("the deleted workspace's sync cancelled")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fixtures.jobStatus(tenant.operatorToken(), second).equals("cancelled"));
  }

  @Test
  void aThirdPartyConnectorThatDiesLeavesItsOwnReasonAndItsLastLinesButNoSecret() {
    String definition =
        fixtures.registerScriptSource(
            "Tickets", "src/test/resources/connectors/crashing-source.sh");
    var tenant = fixtures.tenant();
    String token = "tk-" + java.util.UUID.randomUUID();
    String template = fixtures.allStreamsTemplate(tenant, definition, Map.of("token", token));
    World w = worldWith(tenant, template, Map.of(), false);

    String job = fixtures.startSync(tenant.operatorToken(), w.connectionId());
    JsonNode failed = fixtures.awaitFinished(tenant.operatorToken(), job);
    assertThat(failed.get("status").asString()).isEqualTo("failed");
    assertThat(failed.get("failure_reason").asString())
        .as(failed.toString())
        .contains("exit code 1")
        .endsWith(
            "requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: https://api.example.com/tickets");
    String logs = fixtures.jobLogs(w.scoped(), job);
    assertThat(logs)
        .contains("Traceback (most recent call last):", "'Authorization': 'Bearer **********'")
        .doesNotContain(token);
    assertThat(failed.toString()).doesNotContain(token);
  }

  record Deduped(World world, SourceDatabase source, String sourceId) {}

  /** 300 users in a source database, their stream incremental and deduplicated by id. */
  private Deduped dedupedUsers() throws Exception {
    SourceDatabase source = SourceDatabase.create();
    source.execute(
        """
        create table users (id bigint primary key, name text, updated_at timestamptz);
        insert into users select n, 'u' || n, timestamptz '2026-01-01' + n * interval '1 second' from generate_series(1, 300) n;""");
    var tenant = fixtures.tenant();
    World w =
        worldWith(
            tenant, fixtures.postgresTemplate(tenant, source), source.userConfig(PASSWORD), false);
    String sourceId =
        http.get("/api/v1/connections/" + w.connectionId(), tenant.operatorToken())
            .json()
            .get("source_id")
            .asString();
    fixtures.selectStream(w.scoped(), sourceId, Fixtures.dedupedStream("users", "updated_at"));
    return new Deduped(w, source, sourceId);
  }

  private World worldWith(
      Fixtures.Tenant tenant,
      String sourceTemplate,
      Map<String, Object> sourceConfig,
      boolean syncOnCreate) {
    SourceDatabase warehouse = SourceDatabase.create();
    fixtures.warehouseTemplate(tenant, warehouse, Map.of("sync_on_create", syncOnCreate));
    String scoped = fixtures.scopedToken(tenant, "acme corp");
    var source = fixtures.embeddedSource(scoped, sourceTemplate, sourceConfig);
    return new World(
        tenant, scoped, source.json().get("connection_ids").get(0).asString(), warehouse);
  }
}
