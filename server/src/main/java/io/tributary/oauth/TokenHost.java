package io.tributary.oauth;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which of a flow's user inputs decide the host of its access-token URL: the host that receives the
 * operator's client secret with every code exchange and every token refresh. An input that only
 * picks a subdomain under a domain the spec itself names (Zendesk's {@code
 * https://{{subdomain}}.zendesk.com/oauth/tokens}) keeps the secret at the provider whatever host
 * name it holds. An input that decides the whole host ({@code {{ provider_url }}/token}, {@code
 * https://{{ domain }}/oauth/token}) hands the secret to whoever sets it, so only the operator may
 * set it: in the source template, or from its own backend.
 *
 * <p>The template is probed rather than parsed: rendered with two values for the input, the hosts
 * differ only where the input lands, so what they share at the end is the part the spec fixes.
 */
final class TokenHost {

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*",
          Pattern.CASE_INSENSITIVE);
  private static final String PROBE = "tributaryprobe";

  private TokenHost() {}

  /**
   * Why a value the end user gave for {@code input} may not be used with the operator's app, or
   * empty when it may.
   */
  static Optional<String> refusal(OAuthFlow flow, String input, String value) {
    String template = flow.input("access_token_url");
    if (template == null || !OAuthTemplate.mentions(template, input)) {
      return Optional.empty();
    }
    URI one;
    URI other;
    try {
      one = probe(template, input, PROBE + "a");
      other = probe(template, input, PROBE + "b");
    } catch (RuntimeException unrenderable) {
      return Optional.of(decidesHost(input));
    }
    if (one.getHost() == null || other.getHost() == null) {
      return Optional.of(decidesHost(input));
    }
    if (one.getScheme().equals(other.getScheme())
        && one.getRawAuthority().equals(other.getRawAuthority())) {
      return Optional.empty();
    }
    if (!subdomainOnly(one, other)) {
      return Optional.of(decidesHost(input));
    }
    if (!HOST_NAME.matcher(value).matches()) {
      return Optional.of(
          "must be a host name such as mycompany (letters, digits, hyphens and dots only)");
    }
    return Optional.empty();
  }

  private static String decidesHost(String input) {
    return input
        + " decides which host receives the operator's OAuth client secret, so only the source"
        + " template can set it";
  }

  /**
   * Whether the two hosts differ only in their leftmost labels, under a domain of at least two
   * labels that the template spells out.
   */
  private static boolean subdomainOnly(URI one, URI other) {
    if (!one.getScheme().equals(other.getScheme())
        || one.getPort() != other.getPort()
        || one.getRawUserInfo() != null
        || other.getRawUserInfo() != null) {
      return false;
    }
    String a = one.getHost().toLowerCase(Locale.ROOT);
    String b = other.getHost().toLowerCase(Locale.ROOT);
    int shared = 0;
    while (shared < Math.min(a.length(), b.length())
        && a.charAt(a.length() - 1 - shared) == b.charAt(b.length() - 1 - shared)) {
      shared++;
    }
    String common = a.substring(a.length() - shared);
    int dot = common.indexOf('.');
    if (dot < 0) {
      return false;
    }
    String domain = common.substring(dot + 1);
    return domain.contains(".") && !domain.contains(PROBE);
  }

  private static URI probe(String template, String input, String value) {
    Map<String, String> variables = new HashMap<>();
    OAuthTemplate.names(template).forEach(name -> variables.put(name, PROBE));
    variables.put(input, value);
    return URI.create(OAuthTemplate.render(template, variables));
  }
}
