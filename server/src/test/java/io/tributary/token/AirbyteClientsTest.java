package io.tributary.token;

import static io.tributary.testing.ApiAssertions.assertInvalidAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Airbyte's published client code, with only the host changed: the requests below are those of its
 * sample apps (embedded-sampleweb-nodejs, -reactjs), the widget library's demo and the newer
 * api.airbyte.ai samples, byte for byte in their keys and headers, read the way those clients read
 * the answers.
 */
class AirbyteClientsTest extends ApiTest {

  private static final Map<String, String> JSON_HEADERS =
      Map.of("Accept", "application/json", "Content-Type", "application/json");

  /**
   * nodejs sample, src/airbyte_api.js: the token, then the widget token, at the public API's root
   * paths.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "/api"})
  void theSampleAppsTwoCallsWorkAtTheRootAndUnderApi(String base) {
    var tenant = fixtures.tenant();

    var tokenResponse =
        postAsTheSamples(
            base + "/v1/applications/token",
            null,
            """
        {"client_id":"%s","client_secret":"%s","grant-type":"client_credentials"}"""
                .formatted(tenant.clientId(), tenant.clientSecret()));
    assertThat(tokenResponse.status()).as(tokenResponse.toString()).isEqualTo(200);
    String accessToken = tokenResponse.json().get("access_token").asString();

    var widgetResponse =
        postAsTheSamples(
            base + "/v1/embedded/widget_token",
            accessToken,
            """
        {"organizationId":"%s","allowedOrigin":"http://localhost:3000","externalUserId":"jane@customer.example"}"""
                .formatted(tenant.organizationId()));
    assertThat(widgetResponse.status()).as(widgetResponse.toString()).isEqualTo(200);

    JsonNode decoded = decodeAsTheWidgetLibraryDoes(widgetResponse.json().get("token").asString());
    String scoped = decoded.get("token").asString();
    var info = http.get("/api/v1/embedded/scoped-token/info", scoped).json();
    assertThat(info.get("workspace_name").asString()).isEqualTo("jane@customer.example");
    assertThat(info.get("organization_id").asString())
        .isEqualTo(tenant.organizationId().toString());
    assertThat(decoded.get("widgetUrl").asString())
        .isEqualTo(
            "http://localhost:8080/embedded-widget?workspaceId="
                + info.get("workspace_id").asString()
                + "&allowedOrigin=http%3A%2F%2Flocalhost%3A3000");
  }

  /**
   * The samples throw {@code errorData.message || response.statusText}: every error they can meet
   * carries message.
   */
  @Test
  void errorsCarryTheMessageTheSamplesRead() {
    var tenant = fixtures.tenant();

    var wrongSecret =
        postAsTheSamples(
            "/v1/applications/token",
            null,
            """
        {"client_id":"%s","client_secret":"wrong","grant-type":"client_credentials"}"""
                .formatted(tenant.clientId()));
    assertThat(wrongSecret.status()).isEqualTo(401);
    assertMessage(wrongSecret, "Invalid authentication credentials");

    var otherOrganization =
        janesWidgetToken(tenant.operatorToken(), UUID.randomUUID(), "http://localhost:3000");
    assertThat(otherOrganization.status()).isEqualTo(403);
    assertMessage(otherOrganization, "Access denied to this resource");

    var badOrigin =
        janesWidgetToken(tenant.operatorToken(), tenant.organizationId(), "http://localhost:3000/");
    assertInvalidAt(badOrigin, "[\"body\",\"allowed_origin\"]");
    assertThat(badOrigin.json().get("message").asString()).isNotBlank();

    var noToken = janesWidgetToken(null, tenant.organizationId(), "http://localhost:3000");
    assertThat(noToken.status()).isEqualTo(401);
    assertMessage(noToken, "Invalid authentication credentials");

    assertThat(workspaceCount(tenant)).as("no failed call created a workspace").isZero();
  }

  @Test
  void grantTypeMayBeAbsentOrClientCredentialsInEitherSpellingAndNothingElse() {
    var tenant = fixtures.tenant();
    String credentials =
        "\"client_id\":\"%s\",\"client_secret\":\"%s\""
            .formatted(tenant.clientId(), tenant.clientSecret());

    for (String body :
        new String[] {
          "{" + credentials + "}",
          "{" + credentials + ",\"grant-type\":\"client_credentials\"}",
          "{" + credentials + ",\"grant_type\":\"client_credentials\"}"
        }) {
      var response = postAsTheSamples("/v1/applications/token", null, body);
      assertThat(response.status()).as(body + " → " + response).isEqualTo(200);
      assertThat(response.json().get("token_type").asString()).isEqualTo("bearer");
    }
    for (String body :
        new String[] {
          "{" + credentials + ",\"grant-type\":\"password\"}",
          "{" + credentials + ",\"grant_type\":\"\"}"
        }) {
      var response = postAsTheSamples("/api/v1/applications/token", null, body);
      assertThat(response.status()).as(body + " → " + response).isEqualTo(422);
      assertThat(response.errorLocation()).isEqualTo("[\"body\",\"grant_type\"]");
      assertThat(response.json().get("message").asString()).isNotBlank();
      assertThat(response.body()).doesNotContain(tenant.clientSecret());
    }
  }

  /**
   * reactjs sample, server/airbyte_api.js: the scoped token in snake case, naming the end user and
   * the organization.
   */
  @Test
  void theReactSamplesScopedTokenCallNamesTheWorkspaceByExternalUserId() {
    var tenant = fixtures.tenant();
    var response =
        postAsTheSamples(
            "/api/v1/embedded/scoped-token",
            tenant.operatorToken(),
            """
        {"external_user_id":"sam@customer.example","organization_id":"%s","allowed_origin":"http://localhost:3000"}"""
                .formatted(tenant.organizationId()));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    var info =
        http.get("/api/v1/embedded/scoped-token/info", response.json().get("token").asString())
            .json();
    assertThat(info.get("workspace_name").asString()).isEqualTo("sam@customer.example");

    var foreign =
        postAsTheSamples(
            "/api/v1/embedded/scoped-token",
            tenant.operatorToken(),
            """
        {"external_user_id":"sam@customer.example","organization_id":"%s"}"""
                .formatted(UUID.randomUUID()));
    assertThat(foreign.status()).isEqualTo(403);
    assertMessage(foreign, "Access denied to this resource");
  }

  /**
   * greenfield demo, apps/server/src/airbyte_api.js: both external_user_id and workspace_name; the
   * workspace is named by the latter.
   */
  @Test
  void theNewerWidgetTokenCallWithBothNamesUsesWorkspaceName() {
    var tenant = fixtures.tenant();
    var response =
        postAsTheSamples(
            "/api/v1/embedded/widget-token",
            tenant.operatorToken(),
            """
        {"external_user_id":"sam@customer.example","workspace_name":"Customer Inc","organization_id":"%s",
         "allowed_origin":"https://app.example"}"""
                .formatted(tenant.organizationId()));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    JsonNode decoded = decodeAsTheWidgetLibraryDoes(response.json().get("token").asString());
    var info =
        http.get("/api/v1/embedded/scoped-token/info", decoded.get("token").asString()).json();
    assertThat(info.get("workspace_name").asString()).isEqualTo("Customer Inc");
  }

  @Test
  void withoutAnyWorkspaceNameIs422AndABlankOneNamesItsKey() {
    var tenant = fixtures.tenant();
    var missing =
        postAsTheSamples(
            "/v1/embedded/widget_token",
            tenant.operatorToken(),
            "{\"allowedOrigin\":\"https://app.example\"}");
    var blank =
        postAsTheSamples(
            "/v1/embedded/widget_token",
            tenant.operatorToken(),
            "{\"allowedOrigin\":\"https://app.example\",\"externalUserId\":\" \"}");

    assertInvalidAt(missing, "[\"body\",\"workspace_name\"]");
    assertInvalidAt(blank, "[\"body\",\"external_user_id\"]");
    assertThat(workspaceCount(tenant)).isZero();
  }

  @Test
  void preflightIsAnsweredAtTheRootPathsToo() {
    var preflight = http.preflight("/v1/embedded/widget_token", "https://yourapp.com");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://yourapp.com");
  }

  /**
   * src/EmbeddedWidget.ts: map -_ to +/, pad to a multiple of four, atob, JSON.parse; it needs
   * widgetUrl.
   */
  private static JsonNode decodeAsTheWidgetLibraryDoes(String token) {
    StringBuilder base64 = new StringBuilder(token.replace('-', '+').replace('_', '/'));
    while (base64.length() % 4 != 0) {
      base64.append('=');
    }
    JsonNode decoded =
        Http.JSON.readTree(
            new String(Base64.getDecoder().decode(base64.toString()), StandardCharsets.UTF_8));
    assertThat(decoded.get("widgetUrl")).as("Invalid token: missing widgetUrl").isNotNull();
    assertThat(decoded.get("token").asString()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    return decoded;
  }

  /** The nodejs sample's widget token call for its end user jane. */
  private Http.Response janesWidgetToken(String token, Object organizationId, String origin) {
    return postAsTheSamples(
        "/v1/embedded/widget_token",
        token,
        """
        {"organizationId":"%s","allowedOrigin":"%s","externalUserId":"jane"}"""
            .formatted(organizationId, origin));
  }

  /** A POST with the JSON headers every sample sends. */
  private Http.Response postAsTheSamples(String path, String token, String json) {
    return http.send("POST", path, token, json, JSON_HEADERS);
  }

  private static void assertMessage(Http.Response response, String text) {
    assertThat(response.json().get("detail").asString()).isEqualTo(text);
    assertThat(response.json().get("message")).as("message in %s", response).isNotNull();
    assertThat(response.json().get("message").asString()).isEqualTo(text);
  }

  private int workspaceCount(Fixtures.Tenant tenant) {
    var page = http.get("/api/v1/workspaces", tenant.operatorToken());
    assertThat(page.status()).isEqualTo(200);
    return page.dataSize();
  }
}
