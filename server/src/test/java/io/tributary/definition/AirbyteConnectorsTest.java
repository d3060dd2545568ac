package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.SourceDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Airbyte's own connectors, installed by name through the admin API from the real packages on PyPI
 * (issue 13): Airbyte's {@code source-faker} resolved through a registry kept in a directory, and
 * synced into PostgreSQL.
 */
// installs real packages from PyPI: minutes on a fresh machine, not the default 120 s
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AirbyteConnectorsTest extends ApiTest {

  static final String FAKER_VERSION = "7.2.1";
  static final String AIRBYTE_FAKER_ID = "dfd88b22-b603-4c3d-aad7-3701784586b1";

  @Test
  void fakerInstalledByNameServesItsSpecAndSyncsIncrementallyIntoPostgres() {
    var collision = fixtures.requestInstall(Map.of("name", "source-faker@" + FAKER_VERSION));
    assertThat(collision.status())
        .as("the registry's id is the built-in faker's: refused unless replaced")
        .isEqualTo(409);
    assertThat(collision.json().get("detail").asString())
        .contains(AIRBYTE_FAKER_ID)
        .contains("replace");

    String definitionId = UUID.randomUUID().toString();
    JsonNode install =
        fixtures.installConnector(
            Map.of(
                "name", "source-faker", "version", FAKER_VERSION, "definition_id", definitionId));
    assertThat(install.get("status").asString()).as(install.toString()).isEqualTo("succeeded");
    assertThat(install.get("log").asString()).contains("airbyte-source-faker==" + FAKER_VERSION);

    var tenant = fixtures.tenant();
    JsonNode definition =
        http.get("/api/v1/integrations/definitions/sources/" + definitionId, tenant.operatorToken())
            .json()
            .get("definition");
    assertThat(definition.get("runtime").asString()).isEqualTo("python");
    assertThat(definition.get("dockerImageTag").asString()).isEqualTo(FAKER_VERSION);
    assertThat(definition.get("dockerRepository").asString()).isEqualTo("airbyte/source-faker");
    assertThat(definition.get("license").asString()).isEqualTo("MIT");
    assertThat(definition.get("iconUrl").asString()).endsWith("icon.svg");
    assertThat(definition.get("spec").get("connectionSpecification").get("properties").has("count"))
        .as("the connector's own spec")
        .isTrue();

    String template =
        fixtures.allStreamsTemplate(
            tenant,
            definitionId,
            Map.of("count", 300, "seed", 7, "always_updated", false, "parallelism", 1));
    assertThat(
            http.get("/api/v1/integrations/templates/sources/" + template, tenant.operatorToken())
                .json()
                .get("icon")
                .asString())
        .as("the widget shows the registry's icon")
        .endsWith("source-faker/latest/icon.svg");
    SourceDatabase warehouse = SourceDatabase.create();
    fixtures.warehouseTemplate(tenant, warehouse, Map.of());
    String connection =
        fixtures.embeddedConnection(fixtures.scopedToken(tenant, "faker corp"), template, Map.of());

    JsonNode first = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
    assertThat(warehouse.count("\"faker corp\".users")).isEqualTo(300);
    assertThat(warehouse.count("\"faker corp\".products")).isPositive();
    assertThat(warehouse.count("\"faker corp\".purchases")).isPositive();
    long purchases = warehouse.count("\"faker corp\".purchases");

    JsonNode second = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("succeeded");
    assertThat(second.get("streams").get("users").get("records_committed").asLong())
        .as("the second sync starts from the state of the first")
        .isZero();
    assertThat(warehouse.count("\"faker corp\".users")).isEqualTo(300);
    assertThat(warehouse.count("\"faker corp\".purchases")).isEqualTo(purchases);
  }

  @Test
  void unknownNamesAreRefusedAndAFailedInstallLeavesNothingBehind() {
    var unknown = fixtures.requestInstall(Map.of("name", "source-no-such-thing"));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.toString()).contains("no connector named source-no-such-thing");

    var dockerOnly = fixtures.requestInstall(Map.of("name", "source-docker-only"));
    assertThat(dockerOnly.status()).isEqualTo(422);
    assertThat(dockerOnly.toString())
        .contains("docker run --rm -i airbyte/source-docker-only:1.0.0");

    var unpinned = fixtures.requestInstall(Map.of("name", "airbyte-source-faker"));
    assertThat(unpinned.status()).isEqualTo(422);

    String definitionId = UUID.randomUUID().toString();
    JsonNode failed =
        fixtures.installConnector(
            Map.of("name", "airbyte-source-faker==99.99.99", "definition_id", definitionId));
    assertThat(failed.get("status").asString()).isEqualTo("failed");
    assertThat(failed.get("failure_reason").asString())
        .contains("airbyte-source-faker==99.99.99")
        .contains("No matching distribution");
    assertThat(
            http.get(
                    "/api/v1/integrations/definitions/sources/" + definitionId,
                    fixtures.tenant().operatorToken())
                .status())
        .isEqualTo(404);
    assertThat(
            Path.of("target", "test-data", "connectors", "python", "airbyte-source-faker-99.99.99"))
        .doesNotExist();
  }
}
