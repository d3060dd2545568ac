package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.SourceDatabase;
import io.tributary.testing.Syncs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
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

  private Syncs syncs;

  @BeforeEach
  void syncs() {
    syncs = new Syncs(http, fixtures);
  }

  static final String SCRIPT =
      Path.of("src/test/resources/connectors/rotating-source.py").toAbsolutePath().toString();

  @Test
  void aRotatedConfigurationIsStoredWithTheNextCheckpointAndNeverWithoutOne() {
    World w = world(Map.of("count", 12, "fail_generation", 2), "first-secret-token");

    JsonNode first = sync(w);
    assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
    assertThat(Syncs.number(w.warehouse(), "select max(generation) from \"rotation corp\".events"))
        .as("the first sync read with the first configuration")
        .isEqualTo(1);
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

    JsonNode finished = syncs.finished(w.tenant(), job);
    assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
    assertThat(finished.get("attempts").asInt()).as("one retry").isEqualTo(2);
    String logs = http.get("/api/v1/jobs/" + job + "/logs", w.scoped()).body();
    assertThat(logs)
        .contains("killed by signal 9")
        .contains("reading events after 0 with generation 1")
        .contains("Retrying in")
        .contains("resuming from its last committed state")
        .doesNotContain("kill-test-secret-token");
    long last = Syncs.number(w.warehouse(), "select max(id) from \"rotation corp\".events");
    assertThat(last).as("the retry read on from its checkpoint").isGreaterThanOrEqualTo(60);
    assertThat(
            Syncs.number(w.warehouse(), "select count(distinct id) from \"rotation corp\".events"))
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
    JsonNode source =
        syncs.connect(
            tenant,
            template.json().get("id").asString(),
            Map.of("token", token, "generation", 1),
            warehouse,
            "rotation corp");
    return new World(
        tenant,
        fixtures.scopedToken(tenant, "rotation corp"),
        source.get("id").asString(),
        source.get("connection_ids").get(0).asString(),
        warehouse);
  }

  private JsonNode source(World w) {
    return http.get("/api/v1/embedded/sources/" + w.source(), w.scoped()).json();
  }

  private JsonNode sync(World w) {
    return syncs.sync(w.tenant(), w.connection());
  }

  private long committed(World w, String job) {
    return syncs
        .job(w.tenant(), job)
        .path("streams")
        .path("events")
        .path("records_committed")
        .asLong(0);
  }
}
