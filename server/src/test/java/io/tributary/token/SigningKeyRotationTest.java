package io.tributary.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import org.junit.jupiter.api.Test;

class SigningKeyRotationTest extends ApiTest {

  private static final String INFO = "/api/v1/embedded/scoped-token/info";

  @Test
  void publishedJwksVerifiesIssuedTokens() throws Exception {
    var tenant = fixtures.tenant();
    SignedJWT token = SignedJWT.parse(fixtures.scopedToken(tenant, "jwks"));

    var jwks = http.get("/api/v1/.well-known/jwks.json", null);
    assertThat(jwks.status()).isEqualTo(200);
    assertThat(jwks.body()).doesNotContain("\"d\"");
    ECKey key = (ECKey) JWKSet.parse(jwks.body()).getKeyByKeyId(token.getHeader().getKeyID());

    assertThat(key).isNotNull();
    assertThat(key.isPrivate()).isFalse();
    assertThat(token.verify(new ECDSAVerifier(key))).isTrue();
  }

  @Test
  void tokensKeepWorkingAcrossARotation() throws Exception {
    var tenant = fixtures.tenant();
    String operatorBefore = tenant.operatorToken();
    String scopedBefore = fixtures.scopedToken(tenant, "rotation");
    String oldKid = SignedJWT.parse(scopedBefore).getHeader().getKeyID();

    var rotate = http.post("/api/v1/admin/signing-keys/rotate", Fixtures.ADMIN_KEY, null);
    assertThat(rotate.status()).as(rotate.toString()).isEqualTo(200);
    String newKid = rotate.json().get("kid").asString();

    String scopedAfter = fixtures.scopedToken(tenant, "rotation");
    assertThat(SignedJWT.parse(scopedAfter).getHeader().getKeyID())
        .isEqualTo(newKid)
        .isNotEqualTo(oldKid);
    assertThat(http.get(INFO, scopedBefore).status()).isEqualTo(200);
    assertThat(http.get(INFO, scopedAfter).status()).isEqualTo(200);
    assertThat(
            http.post(
                    "/api/v1/embedded/scoped-token",
                    operatorBefore,
                    java.util.Map.of("workspace_name", "r"))
                .status())
        .isEqualTo(200);

    JWKSet published = JWKSet.parse(http.get("/api/v1/.well-known/jwks.json", null).body());
    assertThat(published.getKeyByKeyId(oldKid)).isNotNull();
    assertThat(published.getKeyByKeyId(newKid)).isNotNull();
  }

  @Test
  void adminApiNeedsTheAdminKey() {
    assertThat(http.post("/api/v1/admin/signing-keys/rotate", null, null).status()).isEqualTo(401);
    assertThat(http.post("/api/v1/admin/signing-keys/rotate", "wrong", null).status())
        .isEqualTo(401);
    var tenant = fixtures.tenant();
    assertThat(
            http.post("/api/v1/admin/signing-keys/rotate", tenant.operatorToken(), null).status())
        .isEqualTo(401);
  }
}
