package io.tributary.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Web origins ({@code scheme://host[:port]}) compared the way browsers send them. */
public final class Origins {

  private Origins() {}

  /**
   * The canonical form of an origin (lower case, default port dropped), or empty when the value is
   * not a bare http(s) origin: a path, a trailing slash, a query, user info or a wildcard all make
   * it invalid.
   */
  public static Optional<String> normalize(String value) {
    if (value == null || value.isBlank() || value.contains("*") || value.endsWith("/")) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        return Optional.empty();
      }
      if (uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
        return Optional.empty();
      }
      int port = uri.getPort();
      boolean defaultPort =
          port == -1
              || ("http".equals(scheme) && port == 80)
              || ("https".equals(scheme) && port == 443);
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      return Optional.of(scheme + "://" + host + (defaultPort ? "" : ":" + port));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  public static boolean same(String a, String b) {
    Optional<String> left = normalize(a);
    return left.isPresent() && left.equals(normalize(b));
  }
}
