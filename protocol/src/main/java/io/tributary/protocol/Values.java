package io.tributary.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Conversions of record values (see {@link FieldType}) to and from JSON, the way the Airbyte
 * protocol writes them: dates and times as ISO-8601 strings, binary as base64, JSON fields as
 * nested JSON.
 */
public final class Values {

  /** Numbers keep every digit: decimals read as BigDecimal, not double. */
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss[.SSSSSS]");

  /**
   * Timestamps as connectors really write them: {@code T} or a space between date and time, an
   * offset as {@code +02:00}, {@code +0200}, {@code +02} or {@code Z}, or none at all (UTC, as
   * Airbyte's destinations read it).
   */
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .optionalStart()
          .appendOffset("+HH:MM:ss", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHmm", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH", "Z")
          .optionalEnd()
          .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
          .toFormatter();

  private Values() {}

  /** A record as the JSON object of an Airbyte record message's {@code data}. */
  public static ObjectNode toJson(List<Field> fields, Object[] values) {
    ObjectNode data = NODES.objectNode();
    for (int i = 0; i < fields.size(); i++) {
      Field field = fields.get(i);
      data.set(field.name(), toJson(field.type(), field.itemType(), values[i]));
    }
    return data;
  }

  public static JsonNode toJson(FieldType type, FieldType itemType, Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    return switch (type) {
      case STRING -> NODES.stringNode(value.toString());
      case INTEGER ->
          value instanceof BigInteger big
              ? NODES.numberNode(big)
              : NODES.numberNode(((Number) value).longValue());
      case NUMBER -> number(value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case BINARY -> NODES.stringNode(Base64.getEncoder().encodeToString((byte[]) value));
      case JSON -> JSON.readTree(value.toString());
      case ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        for (Object item : (List<?>) value) {
          array.add(toJson(itemType == null ? FieldType.STRING : itemType, null, item));
        }
        yield array;
      }
      default -> NODES.stringNode(text(type, value));
    };
  }

  /** The value a JSON node holds for a field of this type (the inverse of {@link #toJson}). */
  public static Object fromJson(FieldType type, FieldType itemType, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return switch (type) {
      case STRING -> node.isString() ? node.asString() : node.toString();
      case INTEGER -> node.isBigInteger() ? node.bigIntegerValue() : (Object) node.asLong();
      case NUMBER -> node.isString() ? new BigDecimal(node.asString()) : node.decimalValue();
      case BOOLEAN -> node.asBoolean();
      case DATE -> LocalDate.parse(node.asString());
      case TIME_WITHOUT_TIMEZONE -> LocalTime.parse(node.asString());
      case TIME_WITH_TIMEZONE -> OffsetTime.parse(node.asString());
      case TIMESTAMP_WITHOUT_TIMEZONE -> localTimestamp(node.asString());
      case TIMESTAMP_WITH_TIMEZONE -> timestamp(node.asString());
      case BINARY -> Base64.getDecoder().decode(node.asString());
      case JSON -> JSON.writeValueAsString(node);
      case ARRAY -> {
        List<Object> items = new ArrayList<>();
        node.forEach(
            item ->
                items.add(fromJson(itemType == null ? FieldType.STRING : itemType, null, item)));
        yield items;
      }
    };
  }

  /**
   * The value as text: ISO-8601 for dates and times (timestamps with time zone in UTC), plain
   * decimal notation for numbers, base64 for binary, compact JSON for JSON and arrays.
   */
  public static String text(FieldType type, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type) {
      case NUMBER ->
          value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
      case TIME_WITHOUT_TIMEZONE -> ((LocalTime) value).format(TIME);
      case TIME_WITH_TIMEZONE ->
          ((OffsetTime) value).toLocalTime().format(TIME)
              + ((OffsetTime) value).getOffset().getId();
      case TIMESTAMP_WITHOUT_TIMEZONE -> ((LocalDateTime) value).toString();
      case TIMESTAMP_WITH_TIMEZONE ->
          ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).toString();
      case BINARY -> Base64.getEncoder().encodeToString((byte[]) value);
      case ARRAY -> toJson(type, FieldType.STRING, value).toString();
      default -> value.toString();
    };
  }

  /** The value {@link #text} wrote (CSV cells, cursor values); null stays null. */
  /** A timestamp with a time zone, UTC when the text names none. */
  public static OffsetDateTime timestamp(String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text.strip(), TIMESTAMP);
    }
  }

  /** A timestamp without time zone; an offset the text carries anyway is dropped. */
  public static LocalDateTime localTimestamp(String text) {
    try {
      return LocalDateTime.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text.strip(), TIMESTAMP).toLocalDateTime();
    }
  }

  public static Object fromText(FieldType type, FieldType itemType, String text) {
    if (text == null) {
      return null;
    }
    return switch (type) {
      case STRING, JSON -> text;
      case INTEGER ->
          text.length() < 19 ? (Object) Long.parseLong(text) : new java.math.BigInteger(text);
      case NUMBER ->
          text.equals("NaN") || text.contains("Infinity")
              ? (Object) Double.valueOf(text)
              : new BigDecimal(text);
      case BOOLEAN -> Boolean.parseBoolean(text) || text.equals("t") || text.equals("1");
      case DATE -> LocalDate.parse(text);
      case TIME_WITHOUT_TIMEZONE -> LocalTime.parse(text);
      case TIME_WITH_TIMEZONE -> OffsetTime.parse(text);
      case TIMESTAMP_WITHOUT_TIMEZONE -> LocalDateTime.parse(text);
      case TIMESTAMP_WITH_TIMEZONE -> OffsetDateTime.parse(text);
      case BINARY -> Base64.getDecoder().decode(text);
      case ARRAY -> fromJson(FieldType.ARRAY, itemType, JSON.readTree(text));
    };
  }

  /**
   * A form of the value that compares equal exactly when two values mean the same thing, whatever
   * Java type a connector chose (1.50 and 1.5, 2020-01-01T10:00+02:00 and 08:00Z, JSON with
   * reordered keys).
   */
  public static String canonical(FieldType type, FieldType itemType, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type) {
      case INTEGER, NUMBER -> {
        BigDecimal decimal = value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
        yield decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
      }
      case TIMESTAMP_WITH_TIMEZONE -> ((OffsetDateTime) value).toInstant().toString();
      case TIME_WITH_TIMEZONE ->
          ((OffsetTime) value).withOffsetSameInstant(ZoneOffset.UTC).toString();
      case JSON -> canonicalJson(JSON.readTree(value.toString())).toString();
      case ARRAY -> {
        List<String> items = new ArrayList<>();
        for (Object item : (List<?>) value) {
          items.add(canonical(itemType == null ? FieldType.STRING : itemType, null, item));
        }
        yield items.toString();
      }
      default -> text(type, value);
    };
  }

  private static JsonNode canonicalJson(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = NODES.objectNode();
      node.propertyNames().stream()
          .sorted()
          .forEach(name -> sorted.set(name, canonicalJson(node.get(name))));
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = NODES.arrayNode();
      node.forEach(item -> array.add(canonicalJson(item)));
      return array;
    }
    if (node.isNumber()) {
      BigDecimal decimal = node.decimalValue();
      return NODES.numberNode(
          decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros());
    }
    return node;
  }

  private static JsonNode number(Object value) {
    if (value instanceof BigDecimal decimal) {
      return NODES.numberNode(decimal);
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return NODES.stringNode(d.toString());
    }
    return NODES.numberNode(((Number) value).doubleValue());
  }
}
