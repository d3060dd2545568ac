package io.tributary.auth;

/**
 * Checks a bearer token's signature and claims. The token feature, which issues tokens, implements
 * it; this package only turns the verified claims into a {@link Caller}, so authentication does not
 * depend on how tokens are made.
 */
public interface TokenVerifier {

  /**
   * Verifies signature, issuer, audience and lifetime; whether the holder still exists is the
   * caller's check.
   */
  VerifiedToken verify(String token) throws InvalidTokenException;
}
