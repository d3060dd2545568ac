package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.SourceDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The parts of the Airbyte protocol a sync lives by (issue 13): a connector that rotates its own
 * credentials mid-read (CONTROL {@code connectorConfig}) and a connector killed mid-read. Writers
 * commit every second here, so a sync of a few seconds has checkpoints to resume from.
 */
@TestPropertySource(properties = "tributary.worker.commit-interval=1s")
class ConnectorProtocolTest extends ApiTest {

  static final String SCRIPT =
      Path.of("src/test/resources/connectors/rotating-source.py").toAbsolutePath().toString();
  static final String POSTGRES_DESTINATION = "25c5221d-dce2-4163-ade9-739ef790f503";

  @Test
  void aRotatedConfigurationIsStoredWithTheNextCheckpointAndNeverWithoutOne() {
    World w = world(Map.of("count", 12, "fail_generation", 2), "first-secret-token");

    JsonNode first = sync(w);
    assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
    assertThat(generations(w))
        .as("the first sync read with the first configuration")
        .containsOnly(1);
    JsonNode stored = source(w);
    assertThat(stored.get("source_config").get("generation").asInt())
        .as("the rotated configuration was stored with the checkpoint after it")
        .isEqualTo(2);
    assertThat(stored.get("source_config").get("token").asString()).isEqualTo("**********");

    JsonNode second = sync(w);
    assertThat(second.get("status").asString())
        .as("generation 2 dies right after rotating to 3")
        .isEqualTo("failed");
    assertThat(source(w).get("source_config").get("generation").asInt())
        .as("no checkpoint followed the rotation to 3: the configuration stays at 2")
        .isEqualTo(2);
    String logs =
        http.get("/api/v1/jobs/" + second.get("id").asString() + "/logs", w.scoped()).body();
    assertThat(logs)
        .contains("lost the connection right after rotating to generation 3")
        .doesNotContain("first-secret-token")
        .doesNotContain("rotated-secret-");
    assertThat(first.toString() + second + stored).doesNotContain("rotated-secret-");
  }

  @Test
  void aConnectorKilledMidReadFailsTheAttemptAndTheRetryResumesFromTheLastCheckpoint()
      throws Exception {
    World w =
        world(Map.of("count", 60, "pause", 0.1, "rotate_after", 1000), "kill-test-secret-token");
    var started =
        http.post(
            "/api/v1/connections/" + w.connection() + "/sync", w.tenant().operatorToken(), null);
    String job = started.json().get("id").asString();
    await("records committed before the kill")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> committed(w, job) >= 10);
    ProcessHandle connector =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().commandLine().orElse("").contains("rotating-source.py read"))
            .findFirst()
            .orElseThrow();
    new ProcessBuilder("kill", "-KILL", Long.toString(connector.pid())).start().waitFor();

    JsonNode finished = finished(w, job);
    assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
    assertThat(finished.get("attempts").asInt()).as("one retry").isEqualTo(2);
    String logs = http.get("/api/v1/jobs/" + job + "/logs", w.scoped()).body();
    assertThat(logs)
        .contains("killed by signal 9")
        .contains("reading events after 0 with generation 1")
        .contains("Retrying in")
        .contains("resuming from its last committed state")
        .doesNotContain("kill-test-secret-token");
    long last = count(w, "select max(id) from \"rotation corp\".events");
    assertThat(last).as("the retry read on from its checkpoint").isGreaterThanOrEqualTo(60);
    assertThat(count(w, "select count(distinct id) from \"rotation corp\".events"))
        .as("nothing lost: every id up to the last one")
        .isEqualTo(last);
  }

  record World(
      Fixtures.Tenant tenant,
      String scoped,
      String source,
      String connection,
      SourceDatabase warehouse) {}

  private World world(Map<String, Object> templateDefaults, String token) {
    String definition = UUID.randomUUID().toString();
    var registered =
        http.post(
            "/api/v1/admin/connectors",
            Fixtures.ADMIN_KEY,
            Map.of(
                "type",
                "source",
                "name",
                "Rotating " + definition,
                "command",
                List.of("python3", SCRIPT),
                "definition_id",
                definition));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    var tenant = fixtures.tenant();
    var template =
        http.post(
            "/api/v1/integrations/templates/sources",
            tenant.operatorToken(),
            Map.of(
                "actor_definition_id",
                definition,
                "partial_default_config",
                templateDefaults,
                "customization",
                Map.of("stream_selection_mode", "all")));
    assertThat(template.status()).as(template.toString()).isEqualTo(200);
    SourceDatabase warehouse = SourceDatabase.create();
    Map<String, Object> destination = new HashMap<>(warehouse.templateDefaults());
    destination.put("database", warehouse.database());
    destination.put("schema", "public");
    destination.put("username", "postgres");
    assertThat(
            http.post(
                    "/api/v1/integrations/templates/connections",
                    tenant.operatorToken(),
                    Map.of(
                        "destination_name",
                        "Warehouse",
                        "destination_definition_id",
                        POSTGRES_DESTINATION,
                        "destination_config",
                        destination))
                .status())
        .isEqualTo(200);
    String scoped = fixtures.scopedToken(tenant, "rotation corp");
    var source =
        http.post(
            "/api/v1/embedded/sources",
            scoped,
            Map.of(
                "source_template_id",
                template.json().get("id").asString(),
                "source_config",
                Map.of("token", token, "generation", 1)));
    assertThat(source.status()).as(source.toString()).isEqualTo(200);
    return new World(
        tenant,
        scoped,
        source.json().get("id").asString(),
        source.json().get("connection_ids").get(0).asString(),
        warehouse);
  }

  private JsonNode source(World w) {
    return http.get("/api/v1/embedded/sources/" + w.source(), w.scoped()).json();
  }

  private JsonNode sync(World w) {
    var started =
        http.post(
            "/api/v1/connections/" + w.connection() + "/sync", w.tenant().operatorToken(), null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return finished(w, started.json().get("id").asString());
  }

  private JsonNode finished(World w, String job) {
    org.awaitility.Awaitility.await("job " + job)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                List.of("succeeded", "failed", "cancelled")
                    .contains(job(w, job).get("status").asString()));
    return job(w, job);
  }

  private JsonNode job(World w, String job) {
    return http.get("/api/v1/jobs/" + job, w.tenant().operatorToken()).json();
  }

  private long committed(World w, String job) {
    return job(w, job).path("streams").path("events").path("records_committed").asLong(0);
  }

  private List<Integer> generations(World w) {
    try (Connection c = DriverManager.getConnection(w.warehouse().jdbcUrl());
        var s = c.createStatement();
        var rs = s.executeQuery("select distinct generation from \"rotation corp\".events")) {
      List<Integer> all = new java.util.ArrayList<>();
      while (rs.next()) {
        all.add(rs.getInt(1));
      }
      return all;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(World w, String sql) {
    try (Connection c = DriverManager.getConnection(w.warehouse().jdbcUrl());
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
