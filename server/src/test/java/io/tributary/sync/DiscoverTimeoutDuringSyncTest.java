package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.SourceDatabase;
import io.tributary.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Before a sync the source's schema is discovered again when the stored one is old. A source whose
 * discover hangs must not fail the sync: it runs on the stored catalog and says so in its log.
 */
// a context of its own, whose worker alone runs EU syncs (the other contexts' workers would take
// this test's sync with their own discover timeout), closed after the class so that its worker
// leaves the EU queue to the tests that drive it by hand
@DirtiesContext
@TestPropertySource(
    properties = {"tributary.discover-timeout=2s", "tributary.worker.region=" + ApiTest.EU_REGION})
class DiscoverTimeoutDuringSyncTest extends ApiTest {

  @Test
  void aDiscoverThatTimesOutLeavesTheSyncRunningOnTheStoredCatalog() throws Exception {
    String definition =
        fixtures.registerScriptSource(
            "Events", "src/test/resources/connectors/slow-discover-source.sh");
    var tenant = fixtures.tenant();
    // not in the temporary directory, which the connector sandbox hides from the script
    Path marker = Path.of("target", "discover-hang-" + UUID.randomUUID()).toAbsolutePath();
    String template =
        fixtures.allStreamsTemplate(tenant, definition, Map.of("hang_marker", marker.toString()));
    fixtures.warehouseTemplate(tenant, SourceDatabase.create(), Map.of());
    String scoped = fixtures.scopedToken(tenant, "events-" + UUID.randomUUID(), EU_REGION);
    var source = fixtures.embeddedSource(scoped, template, Map.of());
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

    String job = fixtures.startSync(tenant.operatorToken(), connection);
    JsonNode finished = fixtures.awaitFinished(tenant.operatorToken(), job);
    assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
    assertThat(finished.get("streams").get("events").get("records_committed").asLong())
        .isEqualTo(2);
    assertThat(fixtures.jobLogs(tenant.operatorToken(), job))
        .contains(
            "Could not discover the source's schema again",
            "did not finish within 2 seconds",
            "using the stored one");
    Files.deleteIfExists(marker);
  }
}
