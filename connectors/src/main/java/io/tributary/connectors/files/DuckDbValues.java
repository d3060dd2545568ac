package io.tributary.connectors.files;

import io.tributary.connectors.jdbc.Sql;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.List;
import org.duckdb.DuckDBAppender;

/**
 * How record values become DuckDB column types and appended values: the DuckDB destination's tables
 * and the Parquet files DuckDB writes for S3 share them, so both type a field alike.
 */
public final class DuckDbValues {

  private DuckDbValues() {}

  /** Appends one value of {@code field} to the appender's current row. */
  public static void append(DuckDBAppender appender, Field field, Object value)
      throws SQLException {
    if (value == null) {
      appender.appendNull();
      return;
    }
    switch (field.type()) {
      case STRING -> appender.append(value.toString());
      case INTEGER -> {
        if (value instanceof BigInteger big) {
          appender.append(big.longValueExact());
        } else {
          appender.append(((Number) value).longValue());
        }
      }
      case NUMBER -> {
        if (decimal(field)) {
          BigDecimal decimal = value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
          appender.append(decimal.setScale(field.scale(), RoundingMode.HALF_EVEN));
        } else {
          appender.append(((Number) value).doubleValue());
        }
      }
      case BOOLEAN -> appender.append((boolean) (Boolean) value);
      case DATE -> appender.append((LocalDate) value);
      case TIME_WITHOUT_TIMEZONE -> appender.append((LocalTime) value);
      case TIME_WITH_TIMEZONE -> appender.append((OffsetTime) value);
      case TIMESTAMP_WITHOUT_TIMEZONE -> appender.append((LocalDateTime) value);
      case TIMESTAMP_WITH_TIMEZONE -> appender.append((OffsetDateTime) value);
      case BINARY -> appender.append((byte[]) value);
      case JSON -> appender.append(value.toString());
      case ARRAY ->
          appender.append(Values.toJson(FieldType.ARRAY, field.itemType(), value).toString());
    }
  }

  static boolean decimal(Field field) {
    return field.precision() != null
        && field.precision() <= 38
        && field.scale() != null
        && field.scale() <= field.precision();
  }

  public static String definitions(List<Field> fields) {
    return Sql.definitions(fields, DuckDbValues::sqlType);
  }

  public static String sqlType(Field field) {
    return switch (field.type()) {
      case STRING -> "varchar";
      case INTEGER -> "bigint";
      case NUMBER ->
          decimal(field) ? "decimal(" + field.precision() + ", " + field.scale() + ")" : "double";
      case BOOLEAN -> "boolean";
      case DATE -> "date";
      case TIME_WITHOUT_TIMEZONE -> "time";
      case TIME_WITH_TIMEZONE -> "timetz";
      case TIMESTAMP_WITHOUT_TIMEZONE -> "timestamp";
      case TIMESTAMP_WITH_TIMEZONE -> "timestamptz";
      case BINARY -> "blob";
      case JSON, ARRAY -> "json";
    };
  }
}
