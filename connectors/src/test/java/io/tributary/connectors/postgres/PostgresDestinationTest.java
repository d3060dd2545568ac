package io.tributary.connectors.postgres;

import io.tributary.connector.Destination;
import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.TypedDestinationContract;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.Values;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class PostgresDestinationTest extends TypedDestinationContract {

  private static ObjectNode config;

  static synchronized ObjectNode database() {
    if (config == null) {
      config = TestPostgres.newDatabase();
    }
    return config.deepCopy();
  }

  @Override
  protected Destination destination() {
    return new PostgresDestination(TestEgress.LOCAL);
  }

  @Override
  protected ObjectNode validConfig() {
    return database();
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    return Map.of(
        database().put("host", "no-such-host.invalid"),
        "unknown host",
        database().put("database", "no_such_db"),
        "does not exist");
  }

  @Override
  protected Boolean present(ObjectNode config, WriteTarget target) {
    try (Connection c = TestPostgres.connect(config)) {
      return exists(c, target.namespace(), target.name());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected List<Object[]> readBack(ObjectNode config, WriteTarget target) {
    return readTable(config, target.namespace(), target.name(), target.fields());
  }

  static List<Object[]> readTable(
      ObjectNode config, String namespace, String name, List<Field> fields) {
    String sql =
        "select "
            + Sql.columns(fields.stream().map(Field::name).toList())
            + " from "
            + Sql.qualified(namespace, name);
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = TestPostgres.connect(config);
        var s = c.createStatement()) {
      if (!exists(c, namespace, name)) {
        return rows;
      }
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          Object[] row = new Object[fields.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = value(rs, i + 1, fields.get(i));
          }
          rows.add(row);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }

  private static boolean exists(Connection c, String namespace, String name) throws SQLException {
    try (var s =
        c.prepareStatement("select 1 from pg_tables where schemaname = ? and tablename = ?")) {
      s.setString(1, namespace);
      s.setString(2, name);
      try (var rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Object value(ResultSet rs, int index, Field field) throws SQLException {
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
          Values.fromJson(
              FieldType.ARRAY,
              field.itemType(),
              JsonMapper.builder().build().readTree(rs.getString(index)));
      default -> rs.getString(index);
    };
  }
}
