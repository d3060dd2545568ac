package io.tributary.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
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
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every token that must not work gets the same 401. */
class TokenRejectionTest extends ApiTest {

  private static final String INFO = "/api/v1/embedded/scoped-token/info";
  private static final String UNAUTHORIZED = "{\"detail\":\"Invalid authentication credentials\"}";

  @Autowired SigningKeyRing keys;

  @Test
  void missingOrMalformedAuthorization() {
    assertRejected(http.get(INFO, null));
    assertRejected(http.get(INFO, "not-a-jwt"));
    assertRejected(http.send("GET", INFO, null, null, Map.of("Authorization", "Basic dXNlcjpwYXNz")));
  }

  @Test
  void expiredToken() throws Exception {
    var tenant = fixtures.tenant();
    UUID workspace = fixtures.workspaceId(fixtures.scopedToken(tenant, "expired"));
    Instant past = Instant.now().minusSeconds(3600);
    String token = sign(keys.signingKey(), scopedClaims(tenant, workspace, "airbyte-server", past, past.plusSeconds(1200)));
    assertRejected(http.get(INFO, token));
  }

  @Test
  void tamperedPayload() {
    var tenant = fixtures.tenant();
    var other = fixtures.tenant();
    String token = fixtures.scopedToken(tenant, "victim");
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace(tenant.organizationId().toString(), other.organizationId().toString());
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];
    assertRejected(http.get(INFO, forged));
  }

  @Test
  void algNoneAndSymmetricAlgorithms() throws Exception {
    var tenant = fixtures.tenant();
    String token = fixtures.scopedToken(tenant, "alg");
    String[] parts = token.split("\\.");
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    assertRejected(http.get(INFO, none + "." + parts[1] + "."));
    assertRejected(http.get(INFO, none + "." + parts[1] + "." + parts[2]));

    // HS256 keyed with the public key: the classic algorithm-confusion forgery.
    byte[] publicKey = keys.signingKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.signingKey().getKeyID()).build(),
        SignedJWT.parse(token).getJWTClaimsSet());
    hs.sign(new MACSigner(java.util.Arrays.copyOf(publicKey, Math.max(32, publicKey.length))));
    assertRejected(http.get(INFO, hs.serialize()));
  }

  @Test
  void wrongAudienceOrIssuerOrUnknownKey() throws Exception {
    var tenant = fixtures.tenant();
    UUID workspace = fixtures.workspaceId(fixtures.scopedToken(tenant, "aud"));
    Instant now = Instant.now();
    assertRejected(http.get(INFO, sign(keys.signingKey(), scopedClaims(tenant, workspace, "someone-else", now, now.plusSeconds(600)))));

    JWTClaimsSet wrongIssuer = new JWTClaimsSet.Builder(scopedClaims(tenant, workspace, "airbyte-server", now, now.plusSeconds(600)))
        .issuer("https://cloud.airbyte.com").build();
    assertRejected(http.get(INFO, sign(keys.signingKey(), wrongIssuer)));

    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(keys.signingKey().getKeyID()).generate();
    assertRejected(http.get(INFO, sign(stranger, scopedClaims(tenant, workspace, "airbyte-server", now, now.plusSeconds(600)))));

    // Sanity: the same claims signed with the real key are accepted.
    var good = http.get(INFO, sign(keys.signingKey(), scopedClaims(tenant, workspace, "airbyte-server", now, now.plusSeconds(600))));
    assertThat(good.status()).isEqualTo(200);
  }

  @Test
  void revokedWorkspaceTokensStopWorkingAndNewOnesWork() {
    var tenant = fixtures.tenant();
    String before = fixtures.scopedToken(tenant, "revoked");
    String widgetBefore = fixtures.widgetJwt(tenant, "revoked", "https://yourapp.com");
    UUID workspace = fixtures.workspaceId(before);

    var revoke = http.post("/api/v1/workspaces/" + workspace + "/revoke-tokens", tenant.operatorToken(), null);
    assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);

    assertRejected(http.get(INFO, before));
    assertRejected(http.get(INFO, widgetBefore));
    assertThat(http.get(INFO, fixtures.scopedToken(tenant, "revoked")).status()).isEqualTo(200);
  }

  @Test
  void revokingAnotherOrganizationsWorkspaceIs404() {
    var tenant = fixtures.tenant();
    var other = fixtures.tenant();
    UUID workspace = fixtures.workspaceId(fixtures.scopedToken(tenant, "mine"));

    var response = http.post("/api/v1/workspaces/" + workspace + "/revoke-tokens", other.operatorToken(), null);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"detail\":\"Workspace not found\"}");
  }

  @Test
  void adminKeyIsNotABearerToken() {
    assertRejected(http.get(INFO, Fixtures.ADMIN_KEY));
  }

  private void assertRejected(io.tributary.testing.Http.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(401);
    assertThat(response.body()).isEqualTo(UNAUTHORIZED);
  }

  private static JWTClaimsSet scopedClaims(Fixtures.Tenant tenant, UUID workspace, String audience, Instant issued, Instant expires) {
    return new JWTClaimsSet.Builder()
        .issuer("http://localhost:8080")
        .audience(audience)
        .subject(tenant.applicationId().toString())
        .issueTime(Date.from(issued))
        .expirationTime(Date.from(expires))
        .jwtID(UUID.randomUUID().toString())
        .claim("typ", TokenService.SCOPED_TYPE)
        .claim("act", Map.of("sub", workspace.toString()))
        .claim(TokenService.WORKSPACE_SCOPE_CLAIM, Map.of("workspaceId", workspace.toString()))
        .claim("roles", java.util.List.of("EMBEDDED_END_USER"))
        .claim("organization_id", tenant.organizationId().toString())
        .claim(TokenService.GENERATION_CLAIM, 0)
        .build();
  }

  private static String sign(ECKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }
}
