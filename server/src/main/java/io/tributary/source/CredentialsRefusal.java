package io.tributary.source;

import java.util.regex.Pattern;

/**
 * How connectors say their provider refused the credentials: OAuth's {@code invalid_grant} (the
 * refresh token was revoked or expired; airbyte-cdk words it "Refresh token is invalid or
 * expired"), an HTTP 401, an {@code invalid_token}.
 */
final class CredentialsRefusal {

  private static final Pattern SAYS_REFUSED =
      Pattern.compile(
          "invalid_grant|refresh token is invalid|invalid_token|status code: 401\\b"
              + "|\\b401 client error|\\bhttp 401\\b|\\b401 unauthorized\\b",
          Pattern.CASE_INSENSITIVE);

  private CredentialsRefusal() {}

  static boolean means(String message) {
    return SAYS_REFUSED.matcher(message).find();
  }
}
