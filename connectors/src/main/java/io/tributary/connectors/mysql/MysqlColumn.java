package io.tributary.connectors.mysql;

import io.tributary.connectors.jdbc.JdbcColumn;
import io.tributary.connectors.jdbc.JdbcStreamReader.ColumnReader;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * A MySQL / MariaDB column and how its values are read exactly.
 *
 * @param dataType {@code information_schema.columns.data_type}, e.g. {@code bigint}
 * @param columnType the full declared type, e.g. {@code tinyint(1)} or {@code bigint(20) unsigned}
 */
record MysqlColumn(String name, String dataType, String columnType) implements JdbcColumn {

  private static final Duration ONE_DAY = Duration.ofDays(1);

  @Override
  public FieldType type() {
    String type = dataType.toLowerCase();
    if (isBoolean()) {
      return FieldType.BOOLEAN;
    }
    if (isUnsignedBigint()) {
      return FieldType
          .NUMBER; // up to 2^64-1: wider than a signed 64-bit integer anywhere downstream
    }
    return switch (type) {
      case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year" ->
          FieldType.INTEGER;
      case "decimal", "numeric", "float", "double", "real" -> FieldType.NUMBER;
      case "date" -> FieldType.DATE;
      case "time" -> FieldType.TIME_WITHOUT_TIMEZONE;
      case "datetime" -> FieldType.TIMESTAMP_WITHOUT_TIMEZONE;
      case "timestamp" -> FieldType.TIMESTAMP_WITH_TIMEZONE;
      case "json" -> FieldType.JSON;
      case "binary",
          "varbinary",
          "tinyblob",
          "blob",
          "mediumblob",
          "longblob",
          "bit",
          "geometry",
          "point",
          "linestring",
          "polygon" ->
          FieldType.BINARY;
      default -> FieldType.STRING;
    };
  }

  @Override
  public Field field() {
    if (isUnsignedBigint()) {
      return Field.decimal(name, 20, 0);
    }
    var declared =
        Pattern.compile("decimal\\((\\d+),(\\d+)\\).*").matcher(columnType.toLowerCase());
    if (declared.matches()) {
      return Field.decimal(
          name, Integer.parseInt(declared.group(1)), Integer.parseInt(declared.group(2)));
    }
    return new Field(name, type());
  }

  private boolean isUnsignedBigint() {
    String declared = columnType.toLowerCase();
    return declared.startsWith("bigint") && declared.contains("unsigned");
  }

  /** tinyint(1) and bit(1) hold booleans by MySQL convention (as Airbyte reads them). */
  private boolean isBoolean() {
    String declared = columnType.toLowerCase();
    return declared.startsWith("tinyint(1)") || declared.equals("bit(1)");
  }

  @Override
  public Object read(ResultSet rs, int index) throws SQLException {
    return reader().read(rs, index);
  }

  /**
   * How this column's values are read, decided once: its type comes from lower-casing and matching
   * the declared type, too much to repeat for every value of a read.
   */
  @Override
  public ColumnReader reader() {
    return switch (type()) {
      case BOOLEAN ->
          (rs, index) -> {
            boolean v = rs.getBoolean(index);
            return rs.wasNull() ? null : v;
          };
      case INTEGER ->
          (rs, index) -> {
            long v = rs.getLong(index);
            return rs.wasNull() ? null : v;
          };
      case NUMBER ->
          switch (dataType.toLowerCase()) {
            case "float" ->
                (rs, index) -> {
                  float v = rs.getFloat(index);
                  return rs.wasNull() ? null : new BigDecimal(Float.toString(v));
                };
            case "double", "real" ->
                (rs, index) -> {
                  double v = rs.getDouble(index);
                  return rs.wasNull() ? null : v;
                };
            default -> ResultSet::getBigDecimal; // decimal, and unsigned bigint
          };
      case DATE -> (rs, index) -> rs.getObject(index, LocalDate.class);
      case TIME_WITHOUT_TIMEZONE -> this::timeOfDay;
      case TIMESTAMP_WITHOUT_TIMEZONE -> (rs, index) -> rs.getObject(index, LocalDateTime.class);
      case TIMESTAMP_WITH_TIMEZONE ->
          (rs, index) -> {
            LocalDateTime utc = rs.getObject(index, LocalDateTime.class);
            return utc == null ? null : utc.atOffset(ZoneOffset.UTC);
          };
      case BINARY -> ResultSet::getBytes;
      default -> ResultSet::getString;
    };
  }

  /**
   * A MySQL TIME is a duration (up to ±838 hours) read as a time of day, the way Airbyte types it.
   * The driver's time of day wraps a duration outside a day (-01:00 becomes 23:00) and drops its
   * fraction; the duration is exact, so one outside a day fails the read instead. The message names
   * the column and not the value, which is the user's data.
   */
  private LocalTime timeOfDay(ResultSet rs, int index) throws SQLException {
    Duration duration = rs.getObject(index, Duration.class);
    if (duration == null) {
      return null;
    }
    if (duration.isNegative() || duration.compareTo(ONE_DAY) >= 0) {
      throw new SQLDataException(
          "Column "
              + name
              + " holds a TIME outside 00:00:00–23:59:59.999999, a duration that is no time of day;"
              + " leave the column out of the stream or cast it to text in a view");
    }
    return LocalTime.ofNanoOfDay(duration.toNanos());
  }
}
