package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The instance admin plugs in an Airbyte-protocol connector; operators then see and template it.
 */
class ExternalConnectorRegistrationTest extends ApiTest {

  static final String SCRIPT =
      Path.of("src/test/resources/connectors/echo-source.sh").toAbsolutePath().toString();

  @Test
  void registeredConnectorIsListedWithTheSpecItReportsAndCanBeTemplated() {
    String id = UUID.randomUUID().toString();
    var registered = fixtures.register("source", "Echo " + id, List.of("bash", SCRIPT), id);
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    assertThat(
            registered.json().get("spec").get("connectionSpecification").get("required").toString())
        .isEqualTo("[\"greeting\"]");

    var tenant = fixtures.tenant();
    var listed =
        http.get("/api/v1/integrations/definitions/sources?name=echo", tenant.operatorToken())
            .json()
            .get("definitions");
    assertThat(
            listed
                .valueStream()
                .filter(d -> d.get("sourceDefinitionId").asString().equals(id))
                .findFirst()
                .orElseThrow()
                .get("custom")
                .asBoolean())
        .isTrue();

    var template =
        http.post(
            "/api/v1/integrations/templates/sources",
            tenant.operatorToken(),
            Map.of("actor_definition_id", id, "partial_default_config", Map.of("token", "s3cret")));
    assertThat(template.status()).as(template.toString()).isEqualTo(200);
    assertThat(template.json().get("partial_default_config").get("token").asString())
        .isEqualTo("**********");
    assertThat(
            template
                .json()
                .get("user_config_spec")
                .get("connectionSpecification")
                .get("required")
                .toString())
        .isEqualTo("[\"greeting\"]");

    var inUse =
        http.send("DELETE", "/api/v1/admin/connectors/" + id, Fixtures.ADMIN_KEY, null, Map.of());
    assertThat(inUse.status())
        .as("a template runs it: every list of the organization's templates would fail")
        .isEqualTo(409);
    assertThat(http.get("/api/v1/integrations/templates/sources", tenant.operatorToken()).status())
        .isEqualTo(200);
    assertThat(
            http.delete(
                    "/api/v1/integrations/templates/sources/"
                        + template.json().get("id").asString(),
                    tenant.operatorToken())
                .status())
        .isEqualTo(200);
    assertThat(
            http.send(
                    "DELETE", "/api/v1/admin/connectors/" + id, Fixtures.ADMIN_KEY, null, Map.of())
                .status())
        .isEqualTo(200);
    assertThat(
            http.get("/api/v1/integrations/definitions/sources/" + id, tenant.operatorToken())
                .status())
        .isEqualTo(404);
  }

  @Test
  void aCommandLineIsShownToTheAdminOnlyNeverToAnOrganization() {
    String id = UUID.randomUUID().toString();
    String token = "tok-" + UUID.randomUUID();
    var registered =
        fixtures.register(
            "source", "Echo " + id, List.of("env", "API_TOKEN=" + token, "bash", SCRIPT), id);
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    assertThat(registered.json().get("command").asString()).contains(token);

    var tenant = fixtures.tenant();
    var listed = http.get("/api/v1/integrations/definitions/sources", tenant.operatorToken());
    assertThat(listed.body()).contains(id).doesNotContain(token);
    var one = http.get("/api/v1/integrations/definitions/sources/" + id, tenant.operatorToken());
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body()).doesNotContain(token);
    assertThat(one.json().get("definition").get("dockerImageTag").asString()).isEqualTo("custom");
  }

  @Test
  void aCommandThatDoesNotSpeakTheProtocolIsRefused() {
    var refused =
        fixtures.register("destination", "Broken", List.of("no-such-binary-anywhere"), null);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("detail").asString()).contains("Cannot start connector");

    var duplicate =
        fixtures.register(
            "source", "Dup", List.of("bash", SCRIPT), "decd338e-5647-4c0b-adf4-da0e75f5a750");
    assertThat(duplicate.status()).isEqualTo(409);
  }
}
