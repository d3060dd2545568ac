package io.tributary.connectors.mysql;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.config.Specs;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.jdbc.JdbcStreamReader;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import io.tributary.protocol.Field;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
public final class MysqlSource implements Source {

  private static final ConnectorSpecification SPEC = Specs.load("source-mysql");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private final MysqlConnections connections;

  public MysqlSource(EgressPolicy egress) {
    this.connections = new MysqlConnections(egress);
  }

  @Override
  public ConnectorSpecification spec() {
    return SPEC;
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    try (Connection connection = connect(config);
        var statement = connection.createStatement()) {
      statement.setQueryTimeout(30);
      statement.execute("select 1");
      return ConnectionStatus.succeeded();
    } catch (ConnectorException e) {
      return ConnectionStatus.failed(e.getMessage());
    } catch (SQLException e) {
      return ConnectionStatus.failed(MysqlErrors.translate(e, config).getMessage());
    }
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config) {
    try (Connection connection = connect(config)) {
      String database = config.get("database").asString();
      Map<String, List<MysqlColumn>> tables = tables(connection, database);
      Map<String, List<List<String>>> keys = primaryKeys(connection, database);
      List<AirbyteStream> streams = new ArrayList<>();
      tables.forEach(
          (table, columns) ->
              streams.add(
                  new AirbyteStream(
                      table,
                      database,
                      StreamSchema.jsonSchema(columns.stream().map(MysqlColumn::field).toList()),
                      List.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL),
                      false,
                      List.of(),
                      keys.getOrDefault(table, List.of()),
                      true)));
      return new AirbyteCatalog(streams);
    } catch (SQLException e) {
      throw MysqlErrors.translate(e, config);
    }
  }

  @Override
  public StreamReader read(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext context) {
    Connection connection = connect(config);
    try {
      String database =
          stream.stream().namespace() == null
              ? config.get("database").asString()
              : stream.stream().namespace();
      String table = stream.stream().name();
      Map<String, MysqlColumn> byName = new HashMap<>();
      List<MysqlColumn> available = tables(connection, database).get(table);
      if (available == null) {
        throw ConnectorException.config(
            "Table " + database + "." + table + " no longer exists or is not readable");
      }
      available.forEach(c -> byName.put(c.name(), c));
      List<MysqlColumn> columns = new ArrayList<>();
      for (Field field : StreamSchema.fields(stream.stream().jsonSchema())) {
        MysqlColumn column = byName.get(field.name());
        if (column == null) {
          throw ConnectorException.config(
              "Column '" + field.name() + "' of " + table + " no longer exists");
        }
        columns.add(column);
      }
      StringBuilder sql =
          new StringBuilder("select ")
              .append(columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")))
              .append(" from ")
              .append(quote(database))
              .append('.')
              .append(quote(table));
      JdbcStreamReader.Cursor cursor = JdbcStreamReader.Cursor.NONE;
      if (stream.syncMode() == SyncMode.INCREMENTAL) {
        if (stream.cursorField().isEmpty()) {
          throw ConnectorException.config("Incremental sync of " + table + " needs a cursor field");
        }
        String name = stream.cursorField().getFirst();
        int index = columns.stream().map(MysqlColumn::name).toList().indexOf(name);
        if (index < 0) {
          throw ConnectorException.config(
              "Cursor field '" + name + "' is not a selected column of " + table);
        }
        cursor =
            new JdbcStreamReader.Cursor(
                index,
                name,
                columns.get(index).type(),
                JdbcStreamReader.resumeValue(context.state(), name));
        if (cursor.startValue() != null) {
          sql.append(" where ").append(quote(name)).append(" >= ?");
        }
        sql.append(" order by ").append(quote(name)).append(" asc");
      }
      PreparedStatement statement =
          connection.prepareStatement(
              sql.toString(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(Math.max(100, Math.min(context.batchSize(), 10_000)));
      if (cursor.startValue() != null) {
        statement.setString(1, mysqlLiteral(cursor));
      }
      List<JdbcStreamReader.ColumnReader> readers =
          columns.stream().map(c -> (JdbcStreamReader.ColumnReader) c::read).toList();
      return new JdbcStreamReader(
          connection,
          statement,
          statement.executeQuery(),
          readers,
          cursor,
          context,
          e -> MysqlErrors.translate(e, config));
    } catch (SQLException e) {
      closeQuietly(connection);
      throw MysqlErrors.translate(e, config);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /** Sessions run in UTC so TIMESTAMP values come back as the instants they store. */
  private Connection connect(ObjectNode config) {
    Connection connection = connections.open(config, CONNECT_TIMEOUT);
    try (var statement = connection.createStatement()) {
      statement.execute("set time_zone = '+00:00'");
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw MysqlErrors.translate(e, config);
    }
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

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing more to release
    }
  }
}
