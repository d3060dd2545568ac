package io.tributary.connectors.config;

import io.tributary.connector.ConnectorException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Typed reads of a validated connector configuration. */
public final class Config {

  private Config() {}

  public static String string(ObjectNode config, String field, String fallback) {
    JsonNode value = config.get(field);
    return value == null || value.isNull() ? fallback : value.asString();
  }

  public static String required(ObjectNode config, String field) {
    String value = string(config, field, null);
    if (value == null || value.isBlank()) {
      throw ConnectorException.config("'" + field + "' is required");
    }
    return value;
  }

  public static int integer(ObjectNode config, String field, int fallback) {
    JsonNode value = config.get(field);
    return value == null || value.isNull() ? fallback : value.asInt();
  }

  public static boolean bool(ObjectNode config, String field, boolean fallback) {
    JsonNode value = config.get(field);
    return value == null || value.isNull() ? fallback : value.asBoolean();
  }
}
