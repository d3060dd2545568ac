package io.tributary.protocol;

import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The value types records carry between connectors, and how each appears in a stream's JSON schema
 * (Airbyte's {@code type} / {@code format} / {@code airbyte_type} conventions).
 *
 * <p>In-process a value is one Java type per field type: STRING {@code String}; INTEGER {@code
 * Long} or {@code BigInteger}; NUMBER {@code BigDecimal} or {@code Double}; BOOLEAN {@code
 * Boolean}; DATE {@code LocalDate}; TIME_WITHOUT_TIMEZONE {@code LocalTime}; TIME_WITH_TIMEZONE
 * {@code OffsetTime}; TIMESTAMP_WITHOUT_TIMEZONE {@code LocalDateTime}; TIMESTAMP_WITH_TIMEZONE
 * {@code OffsetDateTime}; BINARY {@code byte[]}; JSON the JSON text as a {@code String}; ARRAY a
 * {@code List} of the item type. Null is null for every type.
 */
public enum FieldType {
  STRING("string", null, null),
  INTEGER("integer", null, "integer"),
  NUMBER("number", null, null),
  BOOLEAN("boolean", null, null),
  DATE("string", "date", "date"),
  TIME_WITHOUT_TIMEZONE("string", "time", "time_without_timezone"),
  TIME_WITH_TIMEZONE("string", "time", "time_with_timezone"),
  TIMESTAMP_WITHOUT_TIMEZONE("string", "date-time", "timestamp_without_timezone"),
  TIMESTAMP_WITH_TIMEZONE("string", "date-time", "timestamp_with_timezone"),
  BINARY("string", null, "binary_data"),
  JSON(null, null, null),
  ARRAY("array", null, null);

  private final String jsonType;
  private final String format;
  private final String airbyteType;

  FieldType(String jsonType, String format, String airbyteType) {
    this.jsonType = jsonType;
    this.format = format;
    this.airbyteType = airbyteType;
  }

  /** This type's JSON schema; nullable, since any field may be null. */
  public ObjectNode schema(FieldType itemType) {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    if (this == JSON) {
      return schema;
    }
    schema.putArray("type").add("null").add(jsonType);
    if (format != null) {
      schema.put("format", format);
    }
    if (airbyteType != null) {
      schema.put("airbyte_type", airbyteType);
    }
    if (this == BINARY) {
      schema.put("contentEncoding", "base64");
    }
    if (this == ARRAY) {
      schema.set("items", (itemType == null ? STRING : itemType).schema(null));
    }
    return schema;
  }

  private static final Map<String, FieldType> BY_AIRBYTE_TYPE =
      Map.of(
          "integer",
          INTEGER,
          "big_integer",
          INTEGER,
          "date",
          DATE,
          "time_without_timezone",
          TIME_WITHOUT_TIMEZONE,
          "time_with_timezone",
          TIME_WITH_TIMEZONE,
          "timestamp_without_timezone",
          TIMESTAMP_WITHOUT_TIMEZONE,
          "timestamp_with_timezone",
          TIMESTAMP_WITH_TIMEZONE,
          "binary_data",
          BINARY);

  /** The field type a JSON schema describes; anything it cannot name precisely is JSON. */
  public static FieldType of(tools.jackson.databind.JsonNode schema) {
    String airbyteType = schema.path("airbyte_type").asString(null);
    if (airbyteType != null && BY_AIRBYTE_TYPE.containsKey(airbyteType)) {
      return BY_AIRBYTE_TYPE.get(airbyteType);
    }
    String type = null;
    var node = schema.path("type");
    if (node.isString()) {
      type = node.asString();
    } else if (node.isArray()) {
      for (var t : node) {
        if (!"null".equals(t.asString())) {
          if (type != null) {
            return JSON;
          }
          type = t.asString();
        }
      }
    }
    if (type == null) {
      return JSON;
    }
    String format = schema.path("format").asString(null);
    return switch (type) {
      case "string" -> {
        if ("date".equals(format)) yield DATE;
        if ("date-time".equals(format)) yield TIMESTAMP_WITH_TIMEZONE;
        if ("time".equals(format)) yield TIME_WITHOUT_TIMEZONE;
        yield STRING;
      }
      case "integer" -> INTEGER;
      case "number" -> NUMBER;
      case "boolean" -> BOOLEAN;
      case "array" -> ARRAY;
      default -> JSON;
    };
  }
}
