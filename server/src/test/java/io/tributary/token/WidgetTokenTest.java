package io.tributary.token;

import static io.tributary.testing.ApiAssertions.assertInvalidAt;
import static io.tributary.token.ScopedTokenTest.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class WidgetTokenTest extends ApiTest {

  @Test
  void widgetTokenIsBase64OfTokenAndWidgetUrl() {
    var tenant = fixtures.tenant();
    var response =
        fixtures.requestWidgetToken(
            tenant,
            Map.of(
                "workspace_name", "widget-customer",
                "allowed_origin", "https://yourapp.com",
                "selected_source_template_tags", List.of("crm", "db"),
                "selected_source_template_tags_mode", "all",
                "selected_connection_template_tags", List.of("warehouse")));

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    String encoded = response.json().get("token").asString();
    JsonNode decoded =
        Http.JSON.readTree(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
    assertThat(decoded.propertyNames()).containsExactlyInAnyOrder("token", "widgetUrl");

    String jwt = decoded.get("token").asString();
    String workspaceId = fixtures.workspaceId(jwt).toString();
    assertThat(decoded.get("widgetUrl").asString())
        .isEqualTo(
            "http://localhost:8080/embedded-widget?workspaceId="
                + workspaceId
                + "&allowedOrigin=https%3A%2F%2Fyourapp.com");

    JsonNode claims = payload(jwt);
    assertThat(claims.get("typ").asString()).isEqualTo("io.airbyte.auth.embedded_v1");
    assertThat(claims.get("allowed_origin").asString()).isEqualTo("https://yourapp.com");
    assertThat(claims.get("selected_source_template_tags").toString())
        .isEqualTo("[\"crm\",\"db\"]");
    assertThat(claims.get("selected_source_template_tags_mode").asString()).isEqualTo("all");
    assertThat(claims.get("selected_connection_template_tags").toString())
        .isEqualTo("[\"warehouse\"]");
    assertThat(claims.get("selected_connection_template_tags_mode").asString()).isEqualTo("any");
  }

  @Test
  void aliasesAndDebugFormWork() {
    var tenant = fixtures.tenant();
    for (String path :
        List.of("/api/v1/embedded/widget_token", "/api/v1/account/applications/widget-token")) {
      var response =
          http.post(
              path,
              tenant.operatorToken(),
              Map.of("workspace_name", "alias", "allowed_origin", "http://localhost:3000"));
      assertThat(response.status()).as(path).isEqualTo(200);
    }
    var debug =
        http.post(
            "/api/v1/embedded/widget-token?debug",
            tenant.operatorToken(),
            Map.of("workspace_name", "alias", "allowed_origin", "http://localhost:3000"));
    assertThat(debug.json().get("widgetUrl").asString()).contains("/embedded-widget?workspaceId=");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"https://yourapp.com", "https://yourapp.com:443", "http://localhost:3000"})
  void documentedValidOriginsAreAccepted(String origin) {
    var response = widgetTokenFor(origin);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
  }

  @Test
  void theOriginIsKeptInTheFormBrowsersSend() {
    var tenant = fixtures.tenant();
    var response =
        http.post(
            "/api/v1/embedded/widget-token?debug",
            tenant.operatorToken(),
            Map.of("workspace_name", "origins", "allowed_origin", "https://YourApp.com:443"));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.json().get("widgetUrl").asString())
        .endsWith("&allowedOrigin=https%3A%2F%2Fyourapp.com");
    String payload =
        new String(
            java.util.Base64.getUrlDecoder()
                .decode(response.json().get("token").asString().split("\\.")[1]),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(payload).contains("\"allowed_origin\":\"https://yourapp.com\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://yourapp.com/",
        "yourapp.com",
        "*.yourapp.com",
        "https://*.yourapp.com",
        "https://yourapp.com/app",
        "ftp://yourapp.com",
        "https://yourapp.com?x=1",
        ""
      })
  void documentedInvalidOriginsAre422(String origin) {
    var response = widgetTokenFor(origin);
    assertInvalidAt(response, "[\"body\",\"allowed_origin\"]");
  }

  @Test
  void missingAllowedOriginIsTheDocumented422() {
    var tenant = fixtures.tenant();
    var response = fixtures.requestWidgetToken(tenant, Map.of("workspace_name", "w"));
    assertThat(response.body())
        .isEqualTo(
            "{\"detail\":[{\"loc\":[\"body\",\"allowed_origin\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}],"
                + "\"message\":\"body.allowed_origin: field required\"}");
  }

  @Test
  void badTagModeAndOversizeTagAre422() {
    var tenant = fixtures.tenant();
    var mode = widgetTokenWith(tenant, "selected_source_template_tags_mode", "some");
    var tag =
        widgetTokenWith(tenant, "selected_connection_template_tags", List.of("x".repeat(256)));

    assertInvalidAt(mode, "[\"body\",\"selected_source_template_tags_mode\"]");
    assertInvalidAt(tag, "[\"body\",\"selected_connection_template_tags\",0]");
  }

  @Test
  void browserCallsAreAcceptedOnlyFromTheAllowedOriginOrTributaryItself() {
    var tenant = fixtures.tenant();
    String jwt = fixtures.widgetJwt(tenant, "browser", "https://yourapp.com:443");
    String info = "/api/v1/embedded/scoped-token/info";

    var allowed = http.send("GET", info, jwt, null, Map.of("Origin", "https://yourapp.com"));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://yourapp.com");

    var widgetFrame = http.send("GET", info, jwt, null, Map.of("Origin", "http://localhost:8080"));
    assertThat(widgetFrame.status()).isEqualTo(200);

    var foreign = http.send("GET", info, jwt, null, Map.of("Origin", "https://evil.example"));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();

    var lookalike =
        http.send("GET", info, jwt, null, Map.of("Origin", "https://yourapp.com.evil.example"));
    assertThat(lookalike.status()).isEqualTo(403);

    var server = http.get(info, jwt);
    assertThat(server.status()).isEqualTo(200);
  }

  @Test
  void preflightIsAnswered() {
    var preflight = http.preflight("/api/v1/embedded/sources", "https://yourapp.com");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://yourapp.com");
    assertThat(preflight.header("Access-Control-Allow-Headers"))
        .containsIgnoringCase("authorization");
  }

  /** A new organization's widget token request for workspace "origins" on {@code origin}. */
  private Http.Response widgetTokenFor(String origin) {
    return fixtures.requestWidgetToken(
        fixtures.tenant(), Map.of("workspace_name", "origins", "allowed_origin", origin));
  }

  /** A widget token request for workspace "w" on https://a.com with one more {@code field}. */
  private Http.Response widgetTokenWith(Fixtures.Tenant tenant, String field, Object value) {
    return fixtures.requestWidgetToken(
        tenant, Map.of("workspace_name", "w", "allowed_origin", "https://a.com", field, value));
  }
}
