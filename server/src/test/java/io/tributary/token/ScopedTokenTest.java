package io.tributary.token;

import static io.tributary.testing.ApiAssertions.assertInvalidAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class ScopedTokenTest extends ApiTest {

  static final String US = "645a183f-b12b-4c6e-8ad3-99e165603450";
  static final String EU = "b9e48d61-f082-4a14-a8d0-799a907938cb";

  @Autowired JdbcClient jdbc;

  static JsonNode payload(String jwt) {
    String[] parts = jwt.split("\\.");
    return Http.JSON.readTree(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  static JsonNode header(String jwt) {
    return Http.JSON.readTree(
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8));
  }

  @Test
  void scopedTokenCarriesTheEmbeddedClaims() {
    var tenant = fixtures.tenant();
    String token = fixtures.scopedToken(tenant, "customer-42");
    UUID workspaceId = fixtures.workspaceId(token);

    JsonNode claims = payload(token);
    assertThat(header(token).get("alg").asString()).isEqualTo("ES256");
    assertThat(header(token).get("kid").asString()).isNotBlank();
    assertThat(claims.get("iss").asString()).isEqualTo("http://localhost:8080");
    assertThat(claims.get("aud").asString()).isEqualTo("airbyte-server");
    assertThat(claims.get("sub").asString()).isEqualTo(tenant.applicationId().toString());
    assertThat(claims.get("typ").asString()).isEqualTo("io.airbyte.auth.embedded_v1");
    assertThat(claims.get("act").get("sub").asString()).isEqualTo(workspaceId.toString());
    assertThat(claims.get("io.airbyte.auth.workspace_scope").get("workspaceId").asString())
        .isEqualTo(workspaceId.toString());
    assertThat(claims.get("roles").toString()).isEqualTo("[\"EMBEDDED_END_USER\"]");
    assertThat(claims.get("organization_id").asString())
        .isEqualTo(tenant.organizationId().toString());
    assertThat(claims.get("jti").asString()).isNotBlank();
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(20 * 60);
    assertThat(claims.has("allowed_origin")).isFalse();
  }

  @Test
  void infoAndItsAliasesNameTheWorkspace() {
    var tenant = fixtures.tenant();
    String token = fixtures.scopedToken(tenant, "acme");
    for (String path :
        List.of(
            "/api/v1/embedded/scoped-token/info",
            "/api/v1/embedded/scoped-token-info",
            "/api/v1/embedded/organizations/current-scoped",
            "/api/v1/account/applications/scoped-token/info")) {
      var response = http.get(path, token);
      assertThat(response.status()).as(path).isEqualTo(200);
      assertThat(response.json().get("organization_id").asString())
          .isEqualTo(tenant.organizationId().toString());
      assertThat(response.json().get("workspace_name").asString()).isEqualTo("acme");
      assertThat(response.json().get("workspace_id").asString()).isNotBlank();
    }
  }

  @Test
  void sameNameGivesTheSameWorkspaceAndOtherOrganizationsGetTheirOwn() {
    var tenant = fixtures.tenant();
    var other = fixtures.tenant();
    UUID first = fixtures.workspaceId(fixtures.scopedToken(tenant, "shared-name"));
    UUID second = fixtures.workspaceId(fixtures.scopedToken(tenant, "shared-name"));
    UUID foreign = fixtures.workspaceId(fixtures.scopedToken(other, "shared-name"));

    assertThat(second).isEqualTo(first);
    assertThat(foreign).isNotEqualTo(first);
  }

  @Test
  void twentyConcurrentCallsForOneNewNameCreateExactlyOneWorkspace() throws Exception {
    var tenant = fixtures.tenant();
    String name = "concurrent-" + UUID.randomUUID();
    List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(20)) {
      for (int i = 0; i < 20; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> fixtures.requestScopedToken(tenant, Map.of("workspace_name", name)), pool));
      }
      Set<UUID> workspaces =
          calls.stream()
              .map(CompletableFuture::join)
              .peek(
                  response -> assertThat(response.status()).as(response.toString()).isEqualTo(200))
              .map(
                  response ->
                      UUID.fromString(
                          payload(response.json().get("token").asString())
                              .get("act")
                              .get("sub")
                              .asString()))
              .collect(Collectors.toSet());
      assertThat(workspaces).hasSize(1);
    }
    int rows =
        jdbc.sql("select count(*) from workspaces where organization_id = ? and name = ?")
            .params(tenant.organizationId(), name)
            .query(Integer.class)
            .single();
    assertThat(rows).isEqualTo(1);
  }

  @Test
  void regionDefaultsToUsAndIsUsedOnlyWhenTheWorkspaceIsCreated() {
    var tenant = fixtures.tenant();
    fixtures.scopedToken(tenant, "us-customer");
    fixtures.requestScopedToken(tenant, Map.of("workspace_name", "eu-customer", "region_id", EU));
    fixtures.requestScopedToken(tenant, Map.of("workspace_name", "eu-customer", "region_id", US));

    assertThat(region(tenant.organizationId(), "us-customer")).isEqualTo(US);
    assertThat(region(tenant.organizationId(), "eu-customer")).isEqualTo(EU);
  }

  @Test
  void unknownRegionIs422AndCreatesNothing() {
    var tenant = fixtures.tenant();
    var response =
        fixtures.requestScopedToken(
            tenant, Map.of("workspace_name", "nowhere", "region_id", UUID.randomUUID().toString()));

    assertInvalidAt(response, "[\"body\",\"region_id\"]");
    assertThat(
            jdbc.sql("select count(*) from workspaces where organization_id = ?")
                .param(tenant.organizationId())
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void missingOrOversizeWorkspaceNameIs422() {
    var tenant = fixtures.tenant();
    var missing = fixtures.requestScopedToken(tenant, Map.of());
    var oversize = fixtures.requestScopedToken(tenant, Map.of("workspace_name", "x".repeat(256)));

    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body())
        .isEqualTo(
            "{\"detail\":[{\"loc\":[\"body\",\"workspace_name\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}],"
                + "\"message\":\"body.workspace_name: field required\"}");
    assertInvalidAt(oversize, "[\"body\",\"workspace_name\"]");
  }

  @Test
  void successorPathMintsTheSameKindOfToken() {
    var tenant = fixtures.tenant();
    var response =
        http.post(
            "/api/v1/account/applications/scoped-token",
            tenant.operatorToken(),
            Map.of("workspace_name", "succ"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(payload(response.json().get("token").asString()).get("typ").asString())
        .isEqualTo("io.airbyte.auth.embedded_v1");
  }

  @Test
  void scopedTokensCannotMintTokensAndTheOrganizationHeaderMustMatch() {
    var tenant = fixtures.tenant();
    String scoped = fixtures.scopedToken(tenant, "end-user");

    var minting =
        http.post("/api/v1/embedded/scoped-token", scoped, Map.of("workspace_name", "other"));
    assertThat(minting.status()).isEqualTo(403);
    assertThat(minting.body())
        .isEqualTo(
            "{\"detail\":\"Access denied to this resource\",\"message\":\"Access denied to this resource\"}");

    assertThat(scopedTokenNaming(tenant, UUID.randomUUID()).status()).isEqualTo(403);
    assertThat(scopedTokenNaming(tenant, tenant.organizationId()).status()).isEqualTo(200);
  }

  @Test
  void organizationTokenLifetimeOverrideApplies() {
    var tenant = fixtures.tenant();
    var patch =
        http.patch(
            "/api/v1/admin/organizations/" + tenant.organizationId(),
            Fixtures.ADMIN_KEY,
            Map.of("scoped_token_ttl_seconds", 3600));
    assertThat(patch.status()).as(patch.toString()).isEqualTo(200);

    JsonNode claims = payload(fixtures.scopedToken(tenant, "long-lived"));
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(3600);
  }

  /**
   * An organization's PATCH changes the limits it names: one left out keeps its value, and only a
   * null one goes back to the default. A refused value changes none of them.
   */
  @Test
  void aLimitLeftOutOfAnOrganizationsPatchKeepsItsValue() {
    var tenant = fixtures.tenant();
    String limits = "/api/v1/admin/organizations/" + tenant.organizationId();
    var both =
        http.patch(
            limits,
            Fixtures.ADMIN_KEY,
            Map.of("scoped_token_ttl_seconds", 3600, "rate_limit_per_hour", 500));
    assertThat(both.status()).as(both.toString()).isEqualTo(200);

    var one = http.patch(limits, Fixtures.ADMIN_KEY, Map.of("max_concurrent_syncs", 3));
    assertThat(one.status()).as(one.toString()).isEqualTo(200);
    assertThat(one.json().get("scoped_token_ttl_seconds").asInt()).isEqualTo(3600);
    assertThat(one.json().get("rate_limit_per_hour").asInt()).isEqualTo(500);
    assertThat(one.json().get("max_concurrent_syncs").asInt()).isEqualTo(3);

    var refused =
        http.patch(
            limits,
            Fixtures.ADMIN_KEY,
            Map.of("rate_limit_per_hour", 100, "max_concurrent_syncs", 0));
    assertInvalidAt(refused, "[\"body\",\"max_concurrent_syncs\"]");

    var body = new java.util.HashMap<String, Object>();
    body.put("scoped_token_ttl_seconds", null);
    var reset = http.patch(limits, Fixtures.ADMIN_KEY, body);
    assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
    assertThat(reset.json().get("scoped_token_ttl_seconds").isNull()).isTrue();
    assertThat(reset.json().get("rate_limit_per_hour").asInt())
        .as("the refused PATCH changed nothing")
        .isEqualTo(500);
    assertThat(reset.json().get("max_concurrent_syncs").asInt()).isEqualTo(3);

    JsonNode claims = payload(fixtures.scopedToken(tenant, "default-lifetime"));
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isNotEqualTo(3600);
  }

  /** A scoped token request naming {@code organizationId} in the organization header. */
  private Http.Response scopedTokenNaming(Fixtures.Tenant tenant, UUID organizationId) {
    return http.postForOrganization(
        "/api/v1/embedded/scoped-token",
        tenant.operatorToken(),
        organizationId,
        Map.of("workspace_name", "x"));
  }

  private String region(UUID organizationId, String name) {
    return jdbc.sql("select region_id::text from workspaces where organization_id = ? and name = ?")
        .params(organizationId, name)
        .query(String.class)
        .single();
  }
}
