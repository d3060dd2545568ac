package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Creates tenants and tokens through the public API, as an operator would. */
public final class Fixtures {

  public static final String ADMIN_KEY = "test-admin-key-0123456789";

  private final Http http;

  public Fixtures(Http http) {
    this.http = http;
  }

  public Tenant tenant() {
    return tenant(null);
  }

  /** A new organization with one application and an operator token. */
  public Tenant tenant(Integer rateLimitPerHour) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("name", "org-" + UUID.randomUUID());
    body.put("rate_limit_per_hour", rateLimitPerHour);
    var organization = http.post("/api/v1/admin/organizations", ADMIN_KEY, body);
    assertThat(organization.status()).as(organization.toString()).isEqualTo(201);
    UUID organizationId = UUID.fromString(organization.json().get("id").asString());
    var application =
        http.post(
            "/api/v1/admin/organizations/" + organizationId + "/applications",
            ADMIN_KEY,
            Map.of("name", "test"));
    assertThat(application.status()).as(application.toString()).isEqualTo(201);
    String clientId = application.json().get("client_id").asString();
    String clientSecret = application.json().get("client_secret").asString();
    return new Tenant(
        organizationId,
        UUID.fromString(application.json().get("id").asString()),
        clientId,
        clientSecret,
        operatorToken(clientId, clientSecret));
  }

  public String operatorToken(String clientId, String clientSecret) {
    var response =
        http.post(
            "/api/v1/account/applications/token",
            null,
            Map.of("client_id", clientId, "client_secret", clientSecret));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().get("access_token").asString();
  }

  public String scopedToken(Tenant tenant, String workspaceName) {
    var response =
        http.post(
            "/api/v1/embedded/scoped-token",
            tenant.operatorToken(),
            Map.of("workspace_name", workspaceName));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().get("token").asString();
  }

  /** The scoped JWT inside a widget token for {@code origin}. */
  public String widgetJwt(Tenant tenant, String workspaceName, String origin) {
    var response =
        http.post(
            "/api/v1/embedded/widget-token?debug",
            tenant.operatorToken(),
            Map.of("workspace_name", workspaceName, "allowed_origin", origin));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().get("token").asString();
  }

  public UUID workspaceId(String scopedToken) {
    JsonNode info = http.get("/api/v1/embedded/scoped-token/info", scopedToken).json();
    return UUID.fromString(info.get("workspace_id").asString());
  }

  public record Tenant(
      UUID organizationId,
      UUID applicationId,
      String clientId,
      String clientSecret,
      String operatorToken) {}
}
