package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Http;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Values a JSON schema cannot rule out but the server cannot use: nulls inside lists, a cron
 * expression its library fails to compute, a forged page cursor, a JMESPath expression nested past
 * the parser's stack. Each is a 4xx JSON error, never a 500, and changes nothing.
 */
class MalformedValuesTest extends ApiTest {

  @Test
  void nullsInsideAStreamsCursorOrKeyAreRefused() {
    var tenant = fixtures.tenant();
    String scoped = fixtures.scopedToken(tenant, "nulls");
    String sourceId =
        fixtures
            .embeddedSource(scoped, fixtures.fakerTemplate(tenant, 1), Map.of("count", 3))
            .json()
            .get("id")
            .asString();
    String streams = "/api/v1/integrations/sources/" + sourceId + "/streams";
    String before = http.get(streams, scoped).body();

    String[] bodies = {
      "{\"stream_name\": \"users\", \"sync_mode\": \"incremental\", \"cursor_field\": [\"updated_at\", null]}",
      "{\"stream_name\": \"users\", \"sync_mode\": \"incremental\", \"cursor_field\": [\"updated_at\"],"
          + " \"destination_sync_mode\": \"append_dedup\", \"primary_key\": [null]}",
      "{\"stream_name\": \"users\", \"sync_mode\": \"incremental\", \"cursor_field\": [\"updated_at\"],"
          + " \"destination_sync_mode\": \"append_dedup\", \"primary_key\": [[\"id\", null]]}"
    };
    for (String body : bodies) {
      assertClientError(http.post(streams, scoped, body), body);
    }
    assertClientError(
        http.patch(
            streams + "/users",
            scoped,
            "[{\"op\": \"replace\", \"path\": \"/primary_key\", \"value\": [[\"id\"], null]}]"),
        "a patched key");
    assertThat(http.get(streams, scoped).body()).as("nothing changed").isEqualTo(before);
  }

  @Test
  void aTemplateWhoseOverridesHoldNullsIsRefused() {
    var tenant = fixtures.tenant();
    String template = fixtures.fakerTemplate(tenant, 1);
    String path = "/api/v1/integrations/templates/sources/" + template;
    for (String overrides :
        new String[] {
          "{\"primary_key_fields\": [[\"id\", null]]}", "{\"cursor_field\": [\"updated_at\", null]}"
        }) {
      var refused =
          http.patch(
              path,
              tenant.operatorToken(),
              "{\"customization\": {\"stream_customizations\": {\"users\": " + overrides + "}}}");
      assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
      assertThat(refused.body()).contains("\"stream_customizations\",\"users\"");
    }
  }

  @Test
  void aScheduleItsLibraryCannotComputeIsRefused() {
    var tenant = fixtures.tenant();
    var refused =
        http.post(
            "/api/v1/integrations/templates/connections",
            tenant.operatorToken(),
            Map.of(
                "destination_name",
                "Lake",
                "destination_definition_id",
                io.tributary.testing.Fixtures.LOCAL_JSON,
                "destination_config",
                Map.of("destination_path", "/local/w31"),
                "cron_expression",
                "0 0 0 31W * ?"));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.body()).contains("cron_expression").contains("cannot be computed");
  }

  @Test
  void aConnectionsRefreshAndTimeZoneAreChecked() {
    var tenant = fixtures.tenant();
    fixtures.lakeTemplate(tenant, "Lake", "/local/malformed-" + UUID.randomUUID(), Map.of());
    String scoped = fixtures.scopedToken(tenant, "refresh");
    String connection =
        fixtures.embeddedConnection(scoped, fixtures.fakerTemplate(tenant, 1), Map.of("count", 3));
    var refresh =
        http.post(
            "/api/v1/connections/" + connection + "/refresh",
            tenant.operatorToken(),
            "{\"streams\": [null]}");
    assertThat(refresh.status()).as(refresh.toString()).isEqualTo(422);

    String path = "/api/v1/connections/" + connection;
    var zoneAlone =
        http.patch(path, tenant.operatorToken(), Map.of("cron_time_zone", "Europe/Paris"));
    assertThat(zoneAlone.status()).as(zoneAlone.toString()).isEqualTo(422);
    assertThat(zoneAlone.body()).contains("cron_time_zone");
    var own =
        http.patch(
            path,
            tenant.operatorToken(),
            Map.of("cron_expression", "0 0 3 * * ?", "cron_time_zone", "UTC"));
    assertThat(own.status()).as(own.toString()).isEqualTo(200);
    var unknown = http.patch(path, tenant.operatorToken(), Map.of("cron_time_zone", "Nowhere/X"));
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
    var paris = http.patch(path, tenant.operatorToken(), Map.of("cron_time_zone", "Europe/Paris"));
    assertThat(paris.status()).as(paris.toString()).isEqualTo(200);
    assertThat(paris.json().get("cron_time_zone").asString()).isEqualTo("Europe/Paris");
  }

  @Test
  void aForgedPageCursorIsRefused() {
    var tenant = fixtures.tenant();
    for (String raw :
        new String[] {
          "10000000000000.0." + new UUID(0, 0), "-99999999999.0." + new UUID(0, 0),
        }) {
      String cursor =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
      var refused = http.get("/api/v1/workspaces?cursor=" + cursor, tenant.operatorToken());
      assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
      assertThat(refused.body()).contains("invalid cursor");
    }
  }

  /**
   * Nesting deep enough to overflow the parser's stack is refused; whether 2,000 levels do depends
   * on the request thread's stack, and one that parses is answered. Neither is a server error.
   */
  @Test
  void aJmesPathQueryNestedPastTheParsersStackIsNoServerError() {
    var tenant = fixtures.tenant();
    String scoped = fixtures.scopedToken(tenant, "jmes");
    String sourceId =
        fixtures
            .embeddedSource(scoped, fixtures.fakerTemplate(tenant, 1), Map.of("count", 3))
            .json()
            .get("id")
            .asString();
    String query = "/api/v1/integrations/sources/" + sourceId + "/catalog/query";
    String deep = "(".repeat(2_000) + "a" + ")".repeat(2_000);
    var nested = http.post(query, scoped, Map.of("jmes_query", deep));
    assertThat(nested.status()).as("deep: " + nested).isLessThan(500);
    if (nested.status() == 200) {
      assertThat(nested.body())
          .as("parsed: the same answer as without the parentheses")
          .isEqualTo(http.post(query, scoped, Map.of("jmes_query", "a")).body());
    } else {
      assertClientError(nested, "deep");
    }
    String long_ = "(".repeat(50_000) + "a" + ")".repeat(50_000);
    assertClientError(http.post(query, scoped, Map.of("jmes_query", long_)), "long");
  }

  private static void assertClientError(Http.Response response, String what) {
    assertThat(response.status()).as(what + ": " + response).isBetween(400, 499);
    assertThat(response.body()).as(what).startsWith("{");
  }
}
