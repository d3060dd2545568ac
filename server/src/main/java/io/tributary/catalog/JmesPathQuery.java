package io.tributary.catalog;

import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPath;
import io.burt.jmespath.jackson.JacksonRuntime;
import io.tributary.common.BadRequestException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JMESPath over a catalog. The library speaks Jackson 2, so the catalog crosses over as JSON text
 * and the result comes back the same way; no Jackson 2 type leaves this class.
 */
final class JmesPathQuery {

  private static final JmesPath<com.fasterxml.jackson.databind.JsonNode> RUNTIME =
      new JacksonRuntime();
  private static final com.fasterxml.jackson.databind.ObjectMapper JACKSON2 =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private JmesPathQuery() {}

  /**
   * @throws BadRequestException when the expression does not parse or cannot be evaluated
   */
  static JsonNode evaluate(String expression, JsonNode document, JsonMapper json) {
    Expression<com.fasterxml.jackson.databind.JsonNode> compiled;
    try {
      compiled = RUNTIME.compile(quoteElidedLiterals(expression));
    } catch (StackOverflowError e) {
      // the parser descends once per nesting level
      throw new BadRequestException("Invalid JMESPath expression: nested too deeply");
    } catch (RuntimeException e) {
      throw new BadRequestException("Invalid JMESPath expression: " + firstLine(e.getMessage()));
    }
    try {
      com.fasterxml.jackson.databind.JsonNode input =
          JACKSON2.readTree(json.writeValueAsString(document));
      com.fasterxml.jackson.databind.JsonNode result = compiled.search(input);
      return json.readTree(JACKSON2.writeValueAsString(result));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (StackOverflowError e) {
      throw new BadRequestException("JMESPath evaluation failed: nested too deeply");
    } catch (RuntimeException e) {
      throw new BadRequestException("JMESPath evaluation failed: " + firstLine(e.getMessage()));
    }
  }

  /**
   * JMESPath's older "elided quotes" form, {@code `users`} for {@code `"users"`}, which the Airbyte
   * examples use and the reference Python implementation still accepts: a literal that is not JSON
   * is read as a string.
   */
  static String quoteElidedLiterals(String expression) {
    StringBuilder out = new StringBuilder(expression.length() + 8);
    int i = 0;
    while (i < expression.length()) {
      char c = expression.charAt(i);
      if (c == '\'') {
        int end = expression.indexOf('\'', i + 1);
        if (end < 0) {
          out.append(expression, i, expression.length());
          break;
        }
        out.append(expression, i, end + 1);
        i = end + 1;
        continue;
      }
      if (c != '`') {
        out.append(c);
        i++;
        continue;
      }
      int end = i + 1;
      while (end < expression.length()
          && !(expression.charAt(end) == '`' && expression.charAt(end - 1) != '\\')) {
        end++;
      }
      if (end >= expression.length()) {
        out.append(expression, i, expression.length());
        break;
      }
      String literal = expression.substring(i + 1, end).replace("\\`", "`");
      out.append('`').append(isJson(literal) ? literal : jsonString(literal)).append('`');
      i = end + 1;
    }
    return out.toString();
  }

  private static boolean isJson(String text) {
    try {
      JACKSON2.readTree(text);
      return !text.isBlank();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  private static String jsonString(String text) {
    try {
      return JACKSON2.writeValueAsString(text.trim()).replace("`", "\\`");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
