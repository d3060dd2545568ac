package io.tributary.oauth;

import io.tributary.settings.TributaryProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The redirect URL every provider is given: {@code <public URL>/api/v1/oauth/callback}. Without a
 * configured public URL it is read from the request, which is right on a developer's machine and
 * wrong behind most proxies, hence {@code TRIBUTARY_PUBLIC_URL} in production.
 */
@Component
public class CallbackUrl {

  static final String PATH = "/api/v1/oauth/callback";

  private final String publicUrl;

  CallbackUrl(TributaryProperties properties) {
    this.publicUrl = properties.configuredPublicUrl();
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
