package io.tributary.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.auth.InvalidTokenException;
import io.tributary.auth.TagMode;
import io.tributary.auth.TokenVerifier;
import io.tributary.auth.VerifiedToken;
import io.tributary.auth.WidgetScope;
import io.tributary.settings.TributaryProperties;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Issues and verifies Tributary's JWTs: operator tokens, and the scoped tokens of Airbyte's
 * embedded model (also carried inside widget tokens) with the claims that model defines.
 */
@Service
public class TokenService implements TokenVerifier {

  public static final String SCOPED_AUDIENCE = "airbyte-server";
  public static final String SCOPED_TYPE = "io.airbyte.auth.embedded_v1";
  public static final String OPERATOR_AUDIENCE = "tributary-operator";
  public static final String OPERATOR_TYPE = "io.tributary.auth.operator_v1";
  public static final String WORKSPACE_SCOPE_CLAIM = "io.airbyte.auth.workspace_scope";
  public static final String GENERATION_CLAIM = "tributary_token_generation";
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final SigningKeyRing keys;
  private final Clock clock;
  private final String issuer;
  private final Duration operatorTtl;
  private final MeterRegistry meters;
  private final VerifiedTokenCache verified;

  TokenService(
      SigningKeyRing keys, Clock clock, TributaryProperties properties, MeterRegistry meters) {
    this.keys = keys;
    this.clock = clock;
    this.issuer = properties.publicBaseUrl().toString();
    this.operatorTtl = properties.operatorTokenTtl();
    this.meters = meters;
    // a few MB at most; far more than the tokens in use at once on one node
    this.verified = new VerifiedTokenCache(10_000, clock);
  }

  public IssuedToken issueOperatorToken(UUID organizationId, UUID applicationId, String clientId) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        base(now, operatorTtl)
            .audience(OPERATOR_AUDIENCE)
            .subject(applicationId.toString())
            .claim("typ", OPERATOR_TYPE)
            .claim("organization_id", organizationId.toString())
            .claim("client_id", clientId)
            .claim("roles", List.of("ORGANIZATION_ADMIN"))
            .build();
    meters.counter("tributary.tokens.issued", "kind", "operator").increment();
    return new IssuedToken(sign(claims), operatorTtl);
  }

  /**
   * A scoped token for one workspace; with {@code widget} it is the token inside a widget token.
   */
  public IssuedToken issueScopedToken(
      UUID organizationId,
      UUID workspaceId,
      int generation,
      UUID issuedBy,
      Duration ttl,
      WidgetScope widget) {
    JWTClaimsSet.Builder claims =
        base(clock.instant(), ttl)
            .audience(SCOPED_AUDIENCE)
            .subject(issuedBy.toString())
            .claim("typ", SCOPED_TYPE)
            .claim("act", Map.of("sub", workspaceId.toString()))
            .claim(WORKSPACE_SCOPE_CLAIM, Map.of("workspaceId", workspaceId.toString()))
            .claim("roles", List.of("EMBEDDED_END_USER"))
            .claim("organization_id", organizationId.toString())
            .claim(GENERATION_CLAIM, generation);
    if (widget != null) {
      claims
          .claim("allowed_origin", widget.allowedOrigin())
          .claim("selected_source_template_tags", widget.sourceTemplateTags())
          .claim("selected_source_template_tags_mode", widget.sourceTemplateTagsMode().value())
          .claim("selected_connection_template_tags", widget.connectionTemplateTags())
          .claim(
              "selected_connection_template_tags_mode",
              widget.connectionTemplateTagsMode().value());
    }
    meters
        .counter("tributary.tokens.issued", "kind", widget == null ? "scoped" : "widget")
        .increment();
    return new IssuedToken(sign(claims.build()), ttl);
  }

  @Override
  public VerifiedToken verify(String token) throws InvalidTokenException {
    VerifiedToken cached = verified.get(token, keys::verifies);
    if (cached != null) {
      return cached;
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())
          || jwt.getHeader().getKeyID() == null) {
        throw new InvalidTokenException("unsupported algorithm");
      }
      ECKey key =
          keys.verificationKey(jwt.getHeader().getKeyID())
              .orElseThrow(() -> new InvalidTokenException("unknown key"));
      if (!jwt.verify(new ECDSAVerifier(key))) {
        throw new InvalidTokenException("bad signature");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      checkLifetime(claims);
      if (!issuer.equals(claims.getIssuer())) {
        throw new InvalidTokenException("wrong issuer");
      }
      VerifiedToken holder = holder(claims);
      verified.put(
          token,
          jwt.getHeader().getKeyID(),
          holder,
          claims.getExpirationTime().toInstant().plus(CLOCK_SKEW));
      return holder;
    } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException e) {
      throw new InvalidTokenException("malformed token");
    }
  }

  private static VerifiedToken holder(JWTClaimsSet claims)
      throws InvalidTokenException, ParseException {
    String type = claims.getStringClaim("typ");
    if (OPERATOR_TYPE.equals(type) && claims.getAudience().contains(OPERATOR_AUDIENCE)) {
      return new VerifiedToken.Operator(
          UUID.fromString(claims.getStringClaim("organization_id")),
          UUID.fromString(claims.getSubject()));
    }
    if (SCOPED_TYPE.equals(type) && claims.getAudience().contains(SCOPED_AUDIENCE)) {
      Map<String, Object> scope = claims.getJSONObjectClaim(WORKSPACE_SCOPE_CLAIM);
      Long generation = claims.getLongClaim(GENERATION_CLAIM);
      if (scope == null || generation == null) {
        throw new InvalidTokenException("missing workspace scope");
      }
      return new VerifiedToken.EndUser(
          UUID.fromString(claims.getStringClaim("organization_id")),
          UUID.fromString(String.valueOf(scope.get("workspaceId"))),
          generation.intValue(),
          widgetScope(claims));
    }
    throw new InvalidTokenException("wrong type or audience");
  }

  private void checkLifetime(JWTClaimsSet claims) throws InvalidTokenException {
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null
        || !now.isBefore(claims.getExpirationTime().toInstant().plus(CLOCK_SKEW))) {
      throw new InvalidTokenException("expired");
    }
    if (claims.getIssueTime() == null
        || claims.getIssueTime().toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw new InvalidTokenException("issued in the future");
    }
  }

  private static WidgetScope widgetScope(JWTClaimsSet claims) throws ParseException {
    String origin = claims.getStringClaim("allowed_origin");
    if (origin == null) {
      return null;
    }
    return new WidgetScope(
        origin,
        orEmpty(claims.getStringListClaim("selected_source_template_tags")),
        TagMode.parse(claims.getStringClaim("selected_source_template_tags_mode")),
        orEmpty(claims.getStringListClaim("selected_connection_template_tags")),
        TagMode.parse(claims.getStringClaim("selected_connection_template_tags_mode")));
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }

  private JWTClaimsSet.Builder base(Instant now, Duration ttl) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString());
  }

  private String sign(JWTClaimsSet claims) {
    return sign(keys.signingKey(), claims);
  }

  /** An ES256 JWT of {@code claims}, signed by {@code key} and naming it in its header. */
  static String sign(ECKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a token", e);
    }
  }

  public record IssuedToken(String token, Duration ttl) {}
}
