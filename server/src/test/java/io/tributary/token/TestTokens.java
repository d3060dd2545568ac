package io.tributary.token;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Hand-made tokens signed with the server's real key, for tests of what must be refused. */
public final class TestTokens {

  private TestTokens() {}

  public static String expiredOperatorToken(SigningKeyRing keys, Fixtures.Tenant tenant) {
    Instant past = Instant.now().minusSeconds(7200);
    return TokenService.sign(
        keys.signingKey(),
        new JWTClaimsSet.Builder()
            .issuer("http://localhost:8080")
            .audience(TokenService.OPERATOR_AUDIENCE)
            .subject(tenant.applicationId().toString())
            .issueTime(Date.from(past))
            .expirationTime(Date.from(past.plusSeconds(900)))
            .jwtID(UUID.randomUUID().toString())
            .claim("typ", TokenService.OPERATOR_TYPE)
            .claim("organization_id", tenant.organizationId().toString())
            .build());
  }

  public static String expiredScopedToken(
      SigningKeyRing keys, Fixtures.Tenant tenant, UUID workspace) {
    Instant past = Instant.now().minusSeconds(7200);
    return TokenService.sign(
        keys.signingKey(),
        scopedClaims(
            tenant, workspace, TokenService.SCOPED_AUDIENCE, past, past.plusSeconds(1200)));
  }

  /**
   * A genuine token's claims, signed again with another expiry (the server refuses lifetimes under
   * a minute).
   */
  public static String expiringAt(SigningKeyRing keys, String token, Instant expires) {
    try {
      JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
      return TokenService.sign(
          keys.signingKey(),
          new JWTClaimsSet.Builder(claims).expirationTime(Date.from(expires)).build());
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token with {@code from} replaced by {@code to} in its payload, signature untouched. */
  public static String tampered(String token, String from, String to) {
    String[] parts = token.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace(from, to);
    return parts[0]
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  static JWTClaimsSet scopedClaims(
      Fixtures.Tenant tenant, UUID workspace, String audience, Instant issued, Instant expires) {
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
        .claim("roles", List.of("EMBEDDED_END_USER"))
        .claim("organization_id", tenant.organizationId().toString())
        .claim(TokenService.GENERATION_CLAIM, 0)
        .build();
  }
}
