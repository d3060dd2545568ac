package io.tributary.oauth;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template language of Airbyte's declarative OAuth specs: {@code {{ name }}} or {@code {{ name
 * | filter | ... }}}, nothing else (no statements, no code). A name the flow does not know is an
 * error rather than an empty string, so a consent URL is never silently missing a parameter.
 */
final class OAuthTemplate {

  private static final Pattern EXPRESSION = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}");

  private OAuthTemplate() {}

  /** Thrown for a template that names an unknown variable or filter. */
  static final class TemplateException extends RuntimeException {
    TemplateException(String message) {
      super(message);
    }
  }

  static String render(String template, Map<String, String> variables) {
    Matcher expression = EXPRESSION.matcher(template);
    StringBuilder out = new StringBuilder();
    while (expression.find()) {
      String[] parts = expression.group(1).split("\\|");
      String name = parts[0].strip();
      String value = variables.get(name);
      if (value == null) {
        throw new TemplateException("the OAuth spec uses {{ " + name + " }}, which is not known");
      }
      for (int i = 1; i < parts.length; i++) {
        value = filter(parts[i].strip(), value);
      }
      expression.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    expression.appendTail(out);
    return out.toString();
  }

  /**
   * The filters Airbyte's platform registers, by their current and their earlier names. {@code
   * codechallengeS256} is RFC 7636's S256 (base64url without padding), which providers check.
   */
  private static String filter(String name, String value) {
    return switch (name) {
      case "urlencode", "urlEncoder" -> URLEncoder.encode(value, StandardCharsets.UTF_8);
      case "urldecode", "urlDecoder" -> URLDecoder.decode(value, StandardCharsets.UTF_8);
      case "b64encode", "base64Encoder" ->
          Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
      case "b64decode", "base64Decoder" ->
          new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      case "codechallengeS256", "codeChallengeS256" -> codeChallenge(value);
      default -> throw new TemplateException("the OAuth spec uses an unknown filter: " + name);
    };
  }

  static String codeChallenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a template refers to a variable at all (e.g. whether a consent URL uses PKCE). */
  static boolean mentions(String template, String name) {
    return names(template).contains(name);
  }

  /** The variables a template refers to. */
  static Set<String> names(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher expression = EXPRESSION.matcher(template == null ? "" : template);
    while (expression.find()) {
      names.add(expression.group(1).split("\\|")[0].strip());
    }
    return names;
  }
}
