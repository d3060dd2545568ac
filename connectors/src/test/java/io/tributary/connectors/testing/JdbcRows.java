package io.tributary.connectors.testing;

import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.Values;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** A table read back through JDBC as the rows a destination contract wrote. */
public final class JdbcRows {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** How one column of a result is read. */
  @FunctionalInterface
  public interface Column {
    Object read(ResultSet rs, int index, Field field) throws SQLException;
  }

  private JdbcRows() {}

  /** Every remaining row of {@code rs}, one value a field, each read by {@code column}. */
  public static List<Object[]> all(ResultSet rs, List<Field> fields, Column column)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    while (rs.next()) {
      Object[] row = new Object[fields.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = column.read(rs, i + 1, fields.get(i));
      }
      rows.add(row);
    }
    return rows;
  }

  /** A value as the Java type the contract's rows hold for the field's type. */
  public static Object value(ResultSet rs, int index, Field field) throws SQLException {
    if (rs.getObject(index) == null) {
      return null;
    }
    return switch (field.type()) {
      case INTEGER -> rs.getLong(index);
      case NUMBER -> rs.getBigDecimal(index);
      case BOOLEAN -> rs.getBoolean(index);
      case DATE -> rs.getObject(index, LocalDate.class);
      case TIME_WITHOUT_TIMEZONE -> rs.getObject(index, LocalTime.class);
      case TIME_WITH_TIMEZONE -> rs.getObject(index, OffsetTime.class);
      case TIMESTAMP_WITHOUT_TIMEZONE -> rs.getObject(index, LocalDateTime.class);
      case TIMESTAMP_WITH_TIMEZONE -> rs.getObject(index, OffsetDateTime.class);
      case BINARY -> rs.getBytes(index);
      case ARRAY ->
          Values.fromJson(FieldType.ARRAY, field.itemType(), JSON.readTree(rs.getString(index)));
      default -> rs.getString(index);
    };
  }
}
