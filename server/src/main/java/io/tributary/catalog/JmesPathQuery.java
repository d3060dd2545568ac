package io.tributary.catalog;

import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPath;
import io.burt.jmespath.jackson.JacksonRuntime;
import io.tributary.common.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JMESPath over a catalog. The library speaks Jackson 2, so the catalog crosses over as JSON text and the result
 * comes back the same way; no Jackson 2 type leaves this class.
 */
final class JmesPathQuery {

  private static final JmesPath<com.fasterxml.jackson.databind.JsonNode> RUNTIME = new JacksonRuntime();
  private static final com.fasterxml.jackson.databind.ObjectMapper JACKSON2 = new com.fasterxml.jackson.databind.ObjectMapper();

  private JmesPathQuery() {}

  /** @throws ApiException 400 when the expression does not parse */
  static JsonNode evaluate(String expression, JsonNode document, JsonMapper json) {
    Expression<com.fasterxml.jackson.databind.JsonNode> compiled;
    try {
      compiled = RUNTIME.compile(expression);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("Invalid JMESPath expression: " + firstLine(e.getMessage()));
    }
    try {
      com.fasterxml.jackson.databind.JsonNode input = JACKSON2.readTree(json.writeValueAsString(document));
      com.fasterxml.jackson.databind.JsonNode result = compiled.search(input);
      return json.readTree(JACKSON2.writeValueAsString(result));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("JMESPath evaluation failed: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
