package io.tributary.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OAuth 2.0 server on loopback for end users to consent at (navikt's mock-oauth2-server):
 * its authorize endpoint consents at once, its code exchange checks PKCE, and its refresh tokens
 * are single-use (a used, unknown or revoked one gets {@code invalid_grant}).
 */
public final class OAuthProvider implements AutoCloseable {

  private final MockOAuth2Server server;

  /**
   * @param accessTokenSeconds how long its access tokens live
   */
  public OAuthProvider(long accessTokenSeconds) throws IOException {
    server =
        new MockOAuth2Server(
            new OAuth2Config(
                false,
                null,
                null,
                true,
                new OAuth2TokenProvider(),
                Set.of(
                    new DefaultOAuth2TokenCallback(
                        "default", "end-user-1", "JWT", null, Map.of(), accessTokenSeconds))));
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  /** Where its endpoints are: {@code <issuer>/authorize}, {@code /token}, {@code /revoke}, ... */
  public String issuer() {
    return server.issuerUrl("default").toString().replaceAll("/$", "");
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
