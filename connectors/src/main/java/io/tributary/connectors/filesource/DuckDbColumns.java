package io.tributary.connectors.filesource;

import io.tributary.connectors.jdbc.JdbcStreamReader;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** DuckDB's inferred column types as record fields, and how to read their values. */
final class DuckDbColumns {

  private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

  private DuckDbColumns() {}

  static boolean nested(String type) {
    String upper = type.toUpperCase(Locale.ROOT);
    return upper.endsWith("]")
        || upper.startsWith("STRUCT")
        || upper.startsWith("MAP")
        || upper.startsWith("UNION")
        || upper.equals("JSON");
  }

  static Field field(String name, String type) {
    String upper = type.toUpperCase(Locale.ROOT);
    Matcher decimal = DECIMAL.matcher(upper);
    if (decimal.matches()) {
      return Field.decimal(
          name, Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
    }
    if (nested(upper)) {
      return new Field(name, FieldType.JSON);
    }
    return new Field(
        name,
        switch (upper) {
          case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UINTEGER", "USMALLINT", "UTINYINT" ->
              FieldType.INTEGER;
          case "HUGEINT", "UBIGINT", "UHUGEINT", "DOUBLE", "FLOAT", "REAL" -> FieldType.NUMBER;
          case "BOOLEAN" -> FieldType.BOOLEAN;
          case "DATE" -> FieldType.DATE;
          case "TIME" -> FieldType.TIME_WITHOUT_TIMEZONE;
          case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" ->
              FieldType.TIMESTAMP_WITHOUT_TIMEZONE;
          case "TIMESTAMP WITH TIME ZONE" -> FieldType.TIMESTAMP_WITH_TIMEZONE;
          case "BLOB" -> FieldType.BINARY;
          default -> FieldType.STRING;
        });
  }

  static JdbcStreamReader.ColumnReader reader(Field field) {
    return switch (field.type()) {
      case INTEGER ->
          (rs, i) -> {
            long v = rs.getLong(i);
            return rs.wasNull() ? null : v;
          };
      case NUMBER ->
          (rs, i) -> {
            BigDecimal v = rs.getBigDecimal(i);
            return v;
          };
      case BOOLEAN ->
          (rs, i) -> {
            boolean v = rs.getBoolean(i);
            return rs.wasNull() ? null : v;
          };
      case DATE -> (rs, i) -> rs.getObject(i, LocalDate.class);
      case TIME_WITHOUT_TIMEZONE -> (rs, i) -> rs.getObject(i, LocalTime.class);
      case TIMESTAMP_WITHOUT_TIMEZONE -> (rs, i) -> rs.getObject(i, LocalDateTime.class);
      case TIMESTAMP_WITH_TIMEZONE -> (rs, i) -> rs.getObject(i, OffsetDateTime.class);
      case BINARY -> (rs, i) -> rs.getBytes(i);
      default -> (rs, i) -> rs.getString(i);
    };
  }
}
