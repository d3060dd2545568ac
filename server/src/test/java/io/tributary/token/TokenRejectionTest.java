package io.tributary.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every token that must not work gets the same 401. */
class TokenRejectionTest extends ApiTest {

  private static final String INFO = "/api/v1/embedded/scoped-token/info";
  private static final String UNAUTHORIZED =
      "{\"detail\":\"Invalid authentication credentials\",\"message\":\"Invalid authentication credentials\"}";

  @Autowired SigningKeyRing keys;

  @Test
  void missingOrMalformedAuthorization() {
    assertRejected(http.get(INFO, null));
    assertRejected(http.get(INFO, "not-a-jwt"));
    assertRejected(
        http.send("GET", INFO, null, null, Map.of("Authorization", "Basic dXNlcjpwYXNz")));
  }

  @Test
  void expiredToken() throws Exception {
    var tenant = fixtures.tenant();
    UUID workspace = fixtures.workspaceId(fixtures.scopedToken(tenant, "expired"));
    assertRejected(http.get(INFO, TestTokens.expiredScopedToken(keys, tenant, workspace)));
    assertRejected(
        http.post(
            "/api/v1/embedded/scoped-token",
            TestTokens.expiredOperatorToken(keys, tenant),
            Map.of("workspace_name", "x")));
  }

  @Test
  void tamperedPayload() {
    var tenant = fixtures.tenant();
    var other = fixtures.tenant();
    String token = fixtures.scopedToken(tenant, "victim");
    assertRejected(
        http.get(
            INFO,
            TestTokens.tampered(
                token, tenant.organizationId().toString(), other.organizationId().toString())));
  }

  @Test
  void algNoneAndSymmetricAlgorithms() throws Exception {
    var tenant = fixtures.tenant();
    String token = fixtures.scopedToken(tenant, "alg");
    String[] parts = token.split("\\.");
    String none =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    assertRejected(http.get(INFO, none + "." + parts[1] + "."));
    assertRejected(http.get(INFO, none + "." + parts[1] + "." + parts[2]));

    // HS256 keyed with the public key: the classic algorithm-confusion forgery.
    byte[] publicKey =
        keys.signingKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    SignedJWT hs =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.signingKey().getKeyID()).build(),
            SignedJWT.parse(token).getJWTClaimsSet());
    hs.sign(new MACSigner(java.util.Arrays.copyOf(publicKey, Math.max(32, publicKey.length))));
    assertRejected(http.get(INFO, hs.serialize()));
  }

  @Test
  void wrongAudienceOrIssuerOrUnknownKey() throws Exception {
    var tenant = fixtures.tenant();
    UUID workspace = fixtures.workspaceId(fixtures.scopedToken(tenant, "aud"));
    Instant now = Instant.now();
    assertRejected(
        http.get(
            INFO,
            TokenService.sign(
                keys.signingKey(),
                TestTokens.scopedClaims(
                    tenant, workspace, "someone-else", now, now.plusSeconds(600)))));

    JWTClaimsSet wrongIssuer =
        new JWTClaimsSet.Builder(
                TestTokens.scopedClaims(
                    tenant, workspace, "airbyte-server", now, now.plusSeconds(600)))
            .issuer("https://cloud.airbyte.com")
            .build();
    assertRejected(http.get(INFO, TokenService.sign(keys.signingKey(), wrongIssuer)));

    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(keys.signingKey().getKeyID()).generate();
    assertRejected(
        http.get(
            INFO,
            TokenService.sign(
                stranger,
                TestTokens.scopedClaims(
                    tenant, workspace, "airbyte-server", now, now.plusSeconds(600)))));

    // Sanity: the same claims signed with the real key are accepted.
    var good =
        http.get(
            INFO,
            TokenService.sign(
                keys.signingKey(),
                TestTokens.scopedClaims(
                    tenant, workspace, "airbyte-server", now, now.plusSeconds(600))));
    assertThat(good.status()).isEqualTo(200);
  }

  @Test
  void revokedWorkspaceTokensStopWorkingAndNewOnesWork() {
    var tenant = fixtures.tenant();
    String before = fixtures.scopedToken(tenant, "revoked");
    String widgetBefore = fixtures.widgetJwt(tenant, "revoked", "https://yourapp.com");
    UUID workspace = fixtures.workspaceId(before);

    var revoke =
        http.post(
            "/api/v1/workspaces/" + workspace + "/revoke-tokens", tenant.operatorToken(), null);
    assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);

    assertRejected(http.get(INFO, before));
    assertRejected(http.get(INFO, widgetBefore));
    assertThat(http.get(INFO, fixtures.scopedToken(tenant, "revoked")).status()).isEqualTo(200);
  }

  @Test
  void deactivatingAWorkspaceRevokesItsTokensAndARenameDoesNot() {
    var tenant = fixtures.tenant();
    String before = fixtures.scopedToken(tenant, "deactivated");
    String widgetBefore = fixtures.widgetJwt(tenant, "deactivated", "https://yourapp.com");
    UUID workspace = fixtures.workspaceId(before);

    var renamed =
        http.put(
            "/api/v1/workspaces/" + workspace,
            tenant.operatorToken(),
            Map.of("name", "deactivated, renamed"));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(http.get(INFO, before).status()).isEqualTo(200);

    var deactivated =
        http.put(
            "/api/v1/workspaces/" + workspace,
            tenant.operatorToken(),
            Map.of("status", "inactive"));
    assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);
    assertRejected(http.get(INFO, before));
    assertRejected(http.get(INFO, widgetBefore));
  }

  @Test
  void tokensVerifiedBeforeAndCachedAreRefusedOnceRevoked() {
    var tenant = fixtures.tenant();
    String scoped = fixtures.scopedToken(tenant, "cached");
    UUID workspace = fixtures.workspaceId(scoped);
    // used again and again, so the node verified each once and now answers from its cache
    for (int i = 0; i < 3; i++) {
      assertThat(http.get(INFO, scoped).status()).isEqualTo(200);
      assertThat(http.get("/api/v1/workspaces/" + workspace, tenant.operatorToken()).status())
          .isEqualTo(200);
    }

    http.post("/api/v1/workspaces/" + workspace + "/revoke-tokens", tenant.operatorToken(), null);
    assertRejected(http.get(INFO, scoped));

    var revoke =
        http.delete("/api/v1/admin/applications/" + tenant.applicationId(), Fixtures.ADMIN_KEY);
    assertThat(revoke.status()).isEqualTo(200);
    assertRejected(http.get("/api/v1/workspaces/" + workspace, tenant.operatorToken()));
  }

  @Test
  void revokingAnotherOrganizationsWorkspaceIs404() {
    var tenant = fixtures.tenant();
    var other = fixtures.tenant();
    UUID workspace = fixtures.workspaceId(fixtures.scopedToken(tenant, "mine"));

    var response =
        http.post(
            "/api/v1/workspaces/" + workspace + "/revoke-tokens", other.operatorToken(), null);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.body())
        .isEqualTo("{\"detail\":\"Workspace not found\",\"message\":\"Workspace not found\"}");
  }

  @Test
  void adminKeyIsNotABearerToken() {
    assertRejected(http.get(INFO, Fixtures.ADMIN_KEY));
  }

  private void assertRejected(io.tributary.testing.Http.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(401);
    assertThat(response.body()).isEqualTo(UNAUTHORIZED);
  }
}
