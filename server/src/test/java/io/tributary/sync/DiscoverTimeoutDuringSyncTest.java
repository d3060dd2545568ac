package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.SourceDatabase;
import io.tributary.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Before a sync the source's schema is discovered again when the stored one is old. A source whose
 * discover hangs must not fail the sync: it runs on the stored catalog and says so in its log.
 */
@TestPropertySource(properties = "tributary.discover-timeout=2s")
class DiscoverTimeoutDuringSyncTest extends ApiTest {

  static final String POSTGRES_DESTINATION = "25c5221d-dce2-4163-ade9-739ef790f503";

  @TempDir Path directory;

  @Test
  void aDiscoverThatTimesOutLeavesTheSyncRunningOnTheStoredCatalog() throws Exception {
    String definition = UUID.randomUUID().toString();
    String script =
        Path.of("src/test/resources/connectors/slow-discover-source.sh")
            .toAbsolutePath()
            .toString();
    assertThat(
            http.post(
                    "/api/v1/admin/connectors",
                    Fixtures.ADMIN_KEY,
                    Map.of(
                        "type",
                        "source",
                        "name",
                        "Events",
                        "command",
                        List.of("bash", script),
                        "definition_id",
                        definition))
                .status())
        .isEqualTo(201);
    var tenant = fixtures.tenant();
    Path marker = directory.resolve("hang");
    String template =
        http.post(
                "/api/v1/integrations/templates/sources",
                tenant.operatorToken(),
                Map.of(
                    "actor_definition_id",
                    definition,
                    "partial_default_config",
                    Map.of("hang_marker", marker.toString()),
                    "customization",
                    Map.of("stream_selection_mode", "all")))
            .json()
            .get("id")
            .asString();
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
                        destination,
                        "sync_on_create",
                        false))
                .status())
        .isEqualTo(200);
    String scoped = fixtures.scopedToken(tenant, "events-" + UUID.randomUUID());
    var source =
        http.post(
            "/api/v1/embedded/sources",
            scoped,
            Map.of("source_template_id", template, "source_config", Map.of()));
    assertThat(source.status()).as(source.toString()).isEqualTo(200);
    String connection = source.json().get("connection_ids").get(0).asString();

    // the stored catalog is old, and the source's discover now hangs
    try (var c = DriverManager.getConnection(TestDatabase.sharedUrl(), "postgres", "");
        var update =
            c.prepareStatement(
                "update source_catalogs set discovered_at = now() - interval '1 day' where source_id = ?")) {
      update.setObject(1, UUID.fromString(source.json().get("id").asString()));
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
    Files.createFile(marker);

    String job =
        http.post("/api/v1/connections/" + connection + "/sync", tenant.operatorToken(), null)
            .json()
            .get("id")
            .asString();
    await("job " + job)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                List.of("succeeded", "failed", "cancelled")
                    .contains(
                        http.get("/api/v1/jobs/" + job, tenant.operatorToken())
                            .json()
                            .get("status")
                            .asString()));
    JsonNode finished = http.get("/api/v1/jobs/" + job, tenant.operatorToken()).json();
    assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
    assertThat(finished.get("streams").get("events").get("records_committed").asLong())
        .isEqualTo(2);
    assertThat(
            http.get("/api/v1/jobs/" + job + "/logs", tenant.operatorToken())
                .json()
                .get("logs")
                .toString())
        .contains(
            "Could not discover the source's schema again",
            "did not finish within 2 seconds",
            "using the stored one");
  }
}
