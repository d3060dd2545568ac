package io.tributary.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/workspaces/{id}/status} on a real workspace: three sources wired to a lake,
 * one whose sync succeeds then fails on one stream, one an operator pauses, one whose credentials
 * the provider refused.
 */
class WorkspaceStatusTest extends ApiTest {

  private static final String FLAKY_SOURCE =
      "src/test/resources/connectors/flaky-tickets-source.sh";

  @Autowired JdbcClient jdbc;

  @Test
  void theStatusReflectsAFailedSyncAPausedConnectionAndAnInvalidCredential() {
    var tenant = fixtures.tenant();
    String operator = tenant.operatorToken();
    // once a year: the connections have a next sync time, and none comes during the test
    fixtures.lakeTemplate(
        tenant,
        "Lake",
        "/local/status-" + UUID.randomUUID(),
        Map.of("cron_expression", "0 0 0 1 1 ?"));
    String scoped = fixtures.scopedToken(tenant, "support-42");
    String workspaceId = fixtures.workspaceId(scoped).toString();
    String flakyTemplate =
        fixtures.allStreamsTemplate(
            tenant, fixtures.registerScriptSource("Flaky tickets", FLAKY_SOURCE), Map.of());
    String fakerTemplate = fixtures.fakerTemplate(tenant, 3);
    JsonNode flaky =
        fixtures.embeddedSource(scoped, flakyTemplate, Map.of("fail_tickets", false)).json();
    JsonNode faker = fixtures.embeddedSource(scoped, fakerTemplate, Map.of("count", 20)).json();
    JsonNode refused = fixtures.embeddedSource(scoped, fakerTemplate, Map.of("count", 20)).json();
    String flakyConnection = flaky.get("connection_ids").get(0).asString();
    String fakerConnection = faker.get("connection_ids").get(0).asString();
    String refusedConnection = refused.get("connection_ids").get(0).asString();

    await("the scheduler computes the connections' next sync times")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonNode s = status(workspaceId, operator);
              return s.get("connections")
                  .valueStream()
                  .noneMatch(c -> c.get("next_sync_at").isNull());
            });
    JsonNode fresh = status(workspaceId, operator);
    assertThat(fresh.get("workspace_id").asString()).isEqualTo(workspaceId);
    assertThat(fresh.get("name").asString()).isEqualTo("support-42");
    assertThat(fresh.get("status").asString()).isEqualTo("active");
    assertThat(fresh.get("healthy").asBoolean()).as("nothing ran yet: %s", fresh).isTrue();
    JsonNode neverRan = connection(fresh, flakyConnection);
    assertThat(neverRan.get("last_sync").isNull()).isTrue();
    assertThat(neverRan.get("last_success").isNull()).isTrue();
    assertThat(neverRan.get("running").asBoolean()).isFalse();
    assertThat(neverRan.get("failing_streams").size()).isZero();

    String firstSync = fixtures.sync(operator, flakyConnection).get("id").asString();
    JsonNode fakerJob = fixtures.sync(operator, fakerConnection);
    assertThat(fakerJob.get("status").asString()).as(fakerJob.toString()).isEqualTo("succeeded");
    JsonNode synced = status(workspaceId, operator);
    assertThat(synced.get("healthy").asBoolean()).as(synced.toString()).isTrue();
    JsonNode ok = connection(synced, flakyConnection);
    assertThat(ok.get("last_sync").get("job_id").asString()).isEqualTo(firstSync);
    assertThat(ok.get("last_sync").get("status").asString()).isEqualTo("succeeded");
    assertThat(ok.get("last_sync").get("records_committed").asLong()).isEqualTo(4);
    assertThat(ok.get("last_sync").get("failure_type").isNull()).isTrue();
    assertThat(ok.get("last_success").get("job_id").asString()).isEqualTo(firstSync);

    // the tickets endpoint starts failing; the next sync fails on that stream
    var broken =
        http.put(
            "/api/v1/embedded/sources/" + flaky.get("id").asString(),
            scoped,
            Map.of("source_config", Map.of("fail_tickets", true)));
    assertThat(broken.status()).as(broken.toString()).isEqualTo(200);
    JsonNode failedJob = fixtures.sync(operator, flakyConnection);
    assertThat(failedJob.get("status").asString()).as(failedJob.toString()).isEqualTo("failed");
    // an operator pauses one connection
    var paused =
        http.patch(
            "/api/v1/connections/" + fakerConnection, operator, Map.of("status", "inactive"));
    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    // the provider refused a source's credentials, as the sync worker or keep-alive records it
    UUID refusedSource = UUID.fromString(refused.get("id").asString());
    jdbc.sql("update sources set credentials_status = 'invalid' where id = ?")
        .param(refusedSource)
        .update();
    jdbc.sql(
            "update connections set status = 'inactive', paused_by = 'credentials' where source_id = ?")
        .param(refusedSource)
        .update();

    JsonNode status = status(workspaceId, operator);
    assertThat(status.get("healthy").asBoolean()).as(status.toString()).isFalse();

    JsonNode failing = connection(status, flakyConnection);
    assertThat(failing.get("status").asString()).isEqualTo("active");
    assertThat(failing.get("paused_reason").isNull()).isTrue();
    JsonNode lastSync = failing.get("last_sync");
    assertThat(lastSync.get("job_id").asString()).isEqualTo(failedJob.get("id").asString());
    assertThat(lastSync.get("status").asString()).isEqualTo("failed");
    assertThat(lastSync.get("failure_type").asString()).isEqualTo("system_error");
    assertThat(lastSync.get("failure_reason").asString())
        .contains("The tickets endpoint answered 500 Internal Server Error");
    assertThat(lastSync.get("started_at").isNull()).isFalse();
    assertThat(lastSync.get("ended_at").isNull()).isFalse();
    assertThat(failing.get("last_success").get("job_id").asString())
        .as("the earlier success stays the last one")
        .isEqualTo(firstSync);
    assertThat(failing.get("last_success").get("records_committed").asLong()).isEqualTo(4);
    assertThat(failing.get("failing_streams").valueStream().map(JsonNode::asString).toList())
        .containsExactly("tickets");
    assertThat(failing.get("next_sync_at").isNull()).as("still scheduled").isFalse();
    assertThat(failing.get("running").asBoolean()).isFalse();

    JsonNode pausedByOperator = connection(status, fakerConnection);
    assertThat(pausedByOperator.get("status").asString()).isEqualTo("inactive");
    assertThat(pausedByOperator.get("paused_reason").isNull()).isTrue();
    assertThat(pausedByOperator.get("next_sync_at").isNull()).as("paused").isTrue();
    assertThat(pausedByOperator.get("last_sync").get("status").asString()).isEqualTo("succeeded");
    assertThat(pausedByOperator.get("last_sync").get("records_committed").asLong()).isPositive();

    JsonNode pausedForCredentials = connection(status, refusedConnection);
    assertThat(pausedForCredentials.get("status").asString()).isEqualTo("inactive");
    assertThat(pausedForCredentials.get("paused_reason").asString())
        .isEqualTo("credentials_invalid");
    assertThat(pausedForCredentials.get("next_sync_at").isNull()).isTrue();
    assertThat(pausedForCredentials.get("last_sync").isNull()).isTrue();

    assertThat(source(status, flaky.get("id").asString()).get("credentials_status").asString())
        .isEqualTo("ok");
    JsonNode invalid = source(status, refusedSource.toString());
    assertThat(invalid.get("credentials_status").asString()).isEqualTo("invalid");
    assertThat(invalid.get("name").asString()).isEqualTo(refused.get("name").asString());
    assertThat(invalid.get("source_definition_id").asString()).isEqualTo(Fixtures.FAKER);
    assertThat(invalid.get("connection_ids").valueStream().map(JsonNode::asString).toList())
        .containsExactly(refusedConnection);

    var own = http.get("/api/v1/workspaces/" + workspaceId + "/status", scoped);
    assertThat(own.status()).as("the workspace's own end user").isEqualTo(200);
    assertThat(own.json()).isEqualTo(status);
  }

  @Test
  void strangersAreToldTheWorkspaceDoesNotExist() {
    var tenant = fixtures.tenant();
    String workspaceId = fixtures.workspaceId(fixtures.scopedToken(tenant, "mine")).toString();
    String neighbour = fixtures.scopedToken(tenant, "neighbour");
    String path = "/api/v1/workspaces/" + workspaceId + "/status";

    assertThat(http.get(path, neighbour).status())
        .as("another workspace's end user")
        .isEqualTo(404);
    assertThat(http.get(path, fixtures.tenant().operatorToken()).status())
        .as("another organization's operator")
        .isEqualTo(404);
    assertThat(
            http.get("/api/v1/workspaces/" + UUID.randomUUID() + "/status", tenant.operatorToken())
                .status())
        .isEqualTo(404);
    JsonNode empty = http.get(path, tenant.operatorToken()).json();
    assertThat(empty.get("sources").size()).isZero();
    assertThat(empty.get("connections").size()).isZero();
    assertThat(empty.get("healthy").asBoolean()).isTrue();
  }

  private JsonNode status(String workspaceId, String token) {
    var response = http.get("/api/v1/workspaces/" + workspaceId + "/status", token);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private static JsonNode connection(JsonNode status, String connectionId) {
    return status
        .get("connections")
        .valueStream()
        .filter(c -> c.get("connection_id").asString().equals(connectionId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no connection " + connectionId + " in " + status));
  }

  private static JsonNode source(JsonNode status, String sourceId) {
    return status
        .get("sources")
        .valueStream()
        .filter(s -> s.get("source_id").asString().equals(sourceId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no source " + sourceId + " in " + status));
  }
}
