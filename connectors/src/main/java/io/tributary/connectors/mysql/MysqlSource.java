package io.tributary.connectors.mysql;

import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.jdbc.DatabaseConnector;
import io.tributary.connectors.jdbc.JdbcSources;
import io.tributary.connectors.jdbc.JdbcStreamReader;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.ConfiguredAirbyteStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads MySQL and MariaDB tables of one database: full refresh or incremental on a cursor column.
 */
public final class MysqlSource extends DatabaseConnector<MysqlConnections> implements Source {

  public MysqlSource(EgressPolicy egress) {
    super("source-mysql", new MysqlConnections(egress));
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config) {
    try (Connection connection = connections.open(config)) {
      String database = config.get("database").asString();
      Map<String, List<MysqlColumn>> tables = tables(connection, database);
      Map<String, List<List<String>>> keys = primaryKeys(connection, database);
      return JdbcSources.catalog(tables, keys, table -> table, table -> database);
    } catch (SQLException e) {
      throw MysqlErrors.translate(e, config);
    }
  }

  @Override
  public StreamReader read(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext context) {
    return connections.openFor(
        config,
        connection -> {
          String database =
              stream.stream().namespace() == null
                  ? config.get("database").asString()
                  : stream.stream().namespace();
          String table = stream.stream().name();
          List<MysqlColumn> columns =
              JdbcSources.selected(
                  stream, database, table, tables(connection, database).get(table));
          StringBuilder sql =
              new StringBuilder("select ")
                  .append(
                      columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")))
                  .append(" from ")
                  .append(quote(database))
                  .append('.')
                  .append(quote(table));
          JdbcStreamReader.Cursor cursor = JdbcSources.cursor(stream, columns, table, context);
          if (cursor.startValue() != null) {
            sql.append(" where ").append(quote(cursor.name())).append(" >= ?");
          }
          if (cursor != JdbcStreamReader.Cursor.NONE) {
            sql.append(" order by ").append(quote(cursor.name())).append(" asc");
          }
          PreparedStatement statement =
              JdbcSources.streaming(
                  connection, sql.toString(), context, cursor, MysqlSource::mysqlLiteral);
          return JdbcSources.rows(
              connection, statement, columns, cursor, context, connections.errors(config));
        });
  }

  private static Map<String, List<MysqlColumn>> tables(Connection connection, String database)
      throws SQLException {
    Map<String, List<MysqlColumn>> tables = new LinkedHashMap<>();
    try (var statement =
        connection.prepareStatement(
            """
        select c.table_name, c.column_name, c.data_type, c.column_type
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = ? and t.table_type in ('BASE TABLE', 'VIEW')
        order by c.table_name, c.ordinal_position""")) {
      statement.setString(1, database);
      try (var rs = statement.executeQuery()) {
        while (rs.next()) {
          tables
              .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new MysqlColumn(rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return tables;
  }

  private static Map<String, List<List<String>>> primaryKeys(Connection connection, String database)
      throws SQLException {
    Map<String, List<List<String>>> keys = new HashMap<>();
    try (var statement =
        connection.prepareStatement(
            """
        select table_name, column_name from information_schema.key_column_usage
        where table_schema = ? and constraint_name = 'PRIMARY' order by table_name, ordinal_position""")) {
      statement.setString(1, database);
      try (var rs = statement.executeQuery()) {
        while (rs.next()) {
          keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(List.of(rs.getString(2)));
        }
      }
    }
    return keys;
  }

  /**
   * MySQL compares temporal columns with 'YYYY-MM-DD hh:mm:ss[.ffffff]' strings, in the session's
   * UTC.
   */
  private static String mysqlLiteral(JdbcStreamReader.Cursor cursor) {
    return switch (cursor.type()) {
      case TIMESTAMP_WITH_TIMEZONE ->
          java.time.OffsetDateTime.parse(cursor.startValue())
              .withOffsetSameInstant(java.time.ZoneOffset.UTC)
              .toLocalDateTime()
              .toString()
              .replace('T', ' ');
      case TIMESTAMP_WITHOUT_TIMEZONE -> cursor.startValue().replace('T', ' ');
      default -> cursor.startValue();
    };
  }

  static String quote(String identifier) {
    return '`' + identifier.replace("`", "``") + '`';
  }
}
