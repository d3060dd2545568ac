package io.tributary.oauth;

import io.tributary.settings.TributaryProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The redirect URL every provider is given: {@code <public URL>/api/v1/oauth/callback}. Without a
 * configured public URL it is read from the request only while the API listens on loopback alone (a
 * developer's machine); otherwise a client could name any host in its {@code Host} header and have
 * it taken for Tributary's own origin, so it is {@code http://localhost:<port>} until {@code
 * TRIBUTARY_PUBLIC_URL} says where browsers reach this instance.
 */
@Component
public class CallbackUrl {

  static final String PATH = "/api/v1/oauth/callback";

  private final String publicUrl;

  CallbackUrl(TributaryProperties properties) {
    this.publicUrl =
        properties.configuredPublicUrl() != null || properties.loopbackOnly()
            ? properties.configuredPublicUrl()
            : properties.publicBaseUrl().toString();
  }

  /** For the request being served. */
  public String current() {
    String base =
        publicUrl != null
            ? publicUrl
            : ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    return base + PATH;
  }
}
