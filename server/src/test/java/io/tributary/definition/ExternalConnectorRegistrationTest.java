package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import io.tributary.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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

  /**
   * A template made of a connector while its removal is under way waits for the removal, then finds
   * no connector: a template never outlives its connector, which would break every organization's
   * template list.
   */
  @Test
  void aTemplateIsNotMadeOfAConnectorBeingRemoved() throws Exception {
    String id = UUID.randomUUID().toString();
    assertThat(fixtures.register("source", "Echo " + id, List.of("bash", SCRIPT), id).status())
        .isEqualTo(201);
    var tenant = fixtures.tenant();
    var template =
        answerMeetingAnOpenTransaction(
            List.of(
                "select 1 from external_connectors where definition_id = ? for update",
                "delete from external_connectors where definition_id = ?"),
            id,
            "external_connectors",
            () ->
                http.post(
                    "/api/v1/integrations/templates/sources",
                    tenant.operatorToken(),
                    Map.of("actor_definition_id", id, "partial_default_config", Map.of())));
    assertThat(template.status()).as(template.toString()).isEqualTo(422);
  }

  /**
   * A source made of a template while the template is being deleted waits for the delete, then is
   * refused: the delete cannot miss it, nor can a removal of its connector.
   */
  @Test
  void aSourceIsNotMadeOfATemplateBeingDeleted() throws Exception {
    String definition = fixtures.registerScriptSource("Echo", SCRIPT);
    var tenant = fixtures.tenant();
    String template = fixtures.allStreamsTemplate(tenant, definition, Map.of());
    String scoped = fixtures.scopedToken(tenant, "echo-" + UUID.randomUUID());
    var refused =
        answerMeetingAnOpenTransaction(
            List.of("update source_templates set deleted_at = now() where id = ?"),
            template,
            "source_templates",
            () ->
                http.post(
                    "/api/v1/embedded/sources",
                    scoped,
                    Map.of(
                        "source_template_id",
                        template,
                        "source_config",
                        Map.of("greeting", "hi"))));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
    assertThat(
            http.send(
                    "DELETE",
                    "/api/v1/admin/connectors/" + definition,
                    Fixtures.ADMIN_KEY,
                    null,
                    Map.of())
                .status())
        .as("nothing runs it")
        .isEqualTo(200);
  }

  /**
   * What {@code request} answers when it meets rows of {@code table} that another transaction
   * locked with {@code statements} (each taking {@code id}): the request must wait for that
   * transaction, which then commits.
   */
  private static Http.Response answerMeetingAnOpenTransaction(
      List<String> statements, String id, String table, Supplier<Http.Response> request)
      throws Exception {
    try (Connection open = DriverManager.getConnection(TestDatabase.sharedUrl(), "postgres", "")) {
      open.setAutoCommit(false);
      for (String sql : statements) {
        try (PreparedStatement statement = open.prepareStatement(sql)) {
          statement.setObject(1, UUID.fromString(id));
          statement.execute();
        }
      }
      CompletableFuture<Http.Response> answer = CompletableFuture.supplyAsync(request);
      awaitWaitingFor(table);
      open.commit();
      return answer.get(30, TimeUnit.SECONDS);
    }
  }

  /** Until a server's statement waits for a row lock that a statement on {@code table} asked. */
  private static void awaitWaitingFor(String table) {
    await("a statement on " + table + " waiting for its lock")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try (Connection c =
                      DriverManager.getConnection(TestDatabase.sharedUrl(), "postgres", "");
                  PreparedStatement waiting =
                      c.prepareStatement(
                          "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                              + " and query like ?")) {
                waiting.setString(1, "%" + table + "%for share%");
                try (var rs = waiting.executeQuery()) {
                  return rs.next() && rs.getInt(1) > 0;
                }
              }
            });
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
