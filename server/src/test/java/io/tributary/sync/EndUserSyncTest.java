package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * "Sync now" for end users (SPEC §11): a scoped token starts a sync of its own connection only when
 * the connection template sets {@code allow_end_user_sync}, and no more often than the
 * organization's minimum interval.
 */
class EndUserSyncTest extends ApiTest {

  @Test
  void anEndUserSyncsWhereTheTemplateAllowsItAtMostOncePerMinimumInterval() {
    var tenant = fixtures.tenant();
    String operator = tenant.operatorToken();
    JsonNode allowing =
        fixtures
            .lakeTemplate(
                tenant,
                "Lake on demand",
                "/local/end-user-sync-" + UUID.randomUUID(),
                Map.of("allow_end_user_sync", true))
            .json();
    assertThat(allowing.get("allow_end_user_sync").asBoolean()).isTrue();
    JsonNode scheduled =
        fixtures
            .lakeTemplate(
                tenant, "Lake on schedule", "/local/end-user-sync-" + UUID.randomUUID(), Map.of())
            .json();
    assertThat(scheduled.get("allow_end_user_sync").asBoolean()).isFalse();
    String scoped = fixtures.scopedToken(tenant, "customer-sync-now");
    String stranger = fixtures.scopedToken(tenant, "customer-elsewhere");
    String workspaceId = fixtures.workspaceId(scoped).toString();
    JsonNode source =
        fixtures
            .embeddedSource(scoped, fixtures.fakerTemplate(tenant, 5), Map.of("count", 10))
            .json();
    String onDemand = connectionOf(workspaceId, operator, allowing.get("id").asString());
    String onSchedule = connectionOf(workspaceId, operator, scheduled.get("id").asString());

    JsonNode status = http.get("/api/v1/workspaces/" + workspaceId + "/status", scoped).json();
    assertThat(connection(status, onDemand).get("allow_end_user_sync").asBoolean()).isTrue();
    assertThat(connection(status, onSchedule).get("allow_end_user_sync").asBoolean()).isFalse();
    assertThat(source.get("connection_ids").size()).isEqualTo(2);

    var refused = http.post("/api/v1/connections/" + onSchedule + "/sync", scoped, null);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.json().get("detail").asString()).contains("run on their schedule");
    var elsewhere = http.post("/api/v1/connections/" + onDemand + "/sync", stranger, null);
    assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(404);
    // whether the template allows it is not said of another workspace's connection either
    var hidden = http.post("/api/v1/connections/" + onSchedule + "/sync", stranger, null);
    assertThat(hidden.status()).as(hidden.toString()).isEqualTo(404);
    assertThat(hidden.body())
        .isEqualTo(
            http.post("/api/v1/connections/" + UUID.randomUUID() + "/sync", stranger, null).body());

    var started = http.post("/api/v1/connections/" + onDemand + "/sync", scoped, null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String job = started.json().get("id").asString();
    assertThat(fixtures.awaitFinished(scoped, job).get("status").asString()).isEqualTo("succeeded");

    // the minimum interval (5 minutes by default) has not passed: 429 with when to try again
    var again = http.post("/api/v1/connections/" + onDemand + "/sync", scoped, null);
    assertThat(again.status()).as(again.toString()).isEqualTo(429);
    assertThat(Long.parseLong(again.header("Retry-After"))).isBetween(1L, 300L);
    assertThat(jobsOf(operator, onDemand)).isEqualTo(1);

    // operators are not bound by the template's flag or the interval
    var operatorSync = http.post("/api/v1/connections/" + onSchedule + "/sync", operator, null);
    assertThat(operatorSync.status()).as(operatorSync.toString()).isEqualTo(202);
  }

  private String connectionOf(String workspaceId, String operator, String templateId) {
    return http.get("/api/v1/connections?workspace_id=" + workspaceId, operator)
        .json()
        .get("data")
        .valueStream()
        .filter(c -> templateId.equals(c.path("connection_template_id").asString()))
        .findFirst()
        .orElseThrow()
        .get("id")
        .asString();
  }

  private int jobsOf(String operator, String connectionId) {
    return http.get("/api/v1/jobs?connection_id=" + connectionId, operator)
        .json()
        .get("data")
        .size();
  }

  private static JsonNode connection(JsonNode status, String id) {
    return status
        .get("connections")
        .valueStream()
        .filter(c -> c.get("connection_id").asString().equals(id))
        .findFirst()
        .orElseThrow();
  }
}
