package io.tributary.connectors.postgres;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.ReadContext;
import io.tributary.connectors.jdbc.JdbcStreamReader;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.Field;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGStatement;
import tools.jackson.databind.node.ObjectNode;

/**
 * Opens the read of one table through a server-side cursor (bounded memory whatever the table
 * size).
 */
final class PostgresReader {

  private PostgresReader() {}

  static JdbcStreamReader open(
      PostgresConnections connections,
      ObjectNode config,
      ConfiguredAirbyteStream stream,
      ReadContext context) {
    Connection connection = connections.open(config, PostgresSource.CONNECT_TIMEOUT);
    try {
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      PostgresTable table = new PostgresTable(stream.stream().namespace(), stream.stream().name());
      List<PostgresColumn> available =
          PostgresCatalog.tables(
                  connection, table.schema() == null ? List.of() : List.of(table.schema()))
              .get(table);
      if (available == null) {
        throw ConnectorException.config(
            "Table "
                + table.schema()
                + "."
                + table.name()
                + " no longer exists or is not readable");
      }
      Map<String, PostgresColumn> byName = new HashMap<>();
      available.forEach(c -> byName.put(c.name(), c));
      List<PostgresColumn> columns = new ArrayList<>();
      for (Field field : StreamSchema.fields(stream.stream().jsonSchema())) {
        PostgresColumn column = byName.get(field.name());
        if (column == null) {
          throw ConnectorException.config(
              "Column '" + field.name() + "' of " + table.name() + " no longer exists");
        }
        columns.add(column);
      }
      StringBuilder sql =
          new StringBuilder("select ")
              .append(Sql.columns(columns.stream().map(PostgresColumn::name).toList()))
              .append(" from ")
              .append(Sql.qualified(table.schema(), table.name()));
      JdbcStreamReader.Cursor cursor = JdbcStreamReader.Cursor.NONE;
      if (stream.syncMode() == SyncMode.INCREMENTAL) {
        cursor = cursor(stream, columns, table, context);
        if (cursor.startValue() != null) {
          sql.append(" where ")
              .append(Sql.quote(cursor.name()))
              .append(" >= cast(? as ")
              .append(columns.get(cursor.index()).sqlType())
              .append(")");
        }
        sql.append(" order by ").append(Sql.quote(cursor.name())).append(" asc nulls first");
      }
      PreparedStatement statement =
          connection.prepareStatement(
              sql.toString(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(Math.max(100, Math.min(context.batchSize(), 10_000)));
      // binary rows: numbers and timestamps arrive as bytes to convert, not text to parse (a third
      // of a read's CPU)
      statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
      if (cursor.startValue() != null) {
        statement.setString(1, cursor.startValue());
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
          e -> PostgresErrors.translate(e, config));
    } catch (SQLException e) {
      closeQuietly(connection);
      throw PostgresErrors.translate(e, config);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static JdbcStreamReader.Cursor cursor(
      ConfiguredAirbyteStream stream,
      List<PostgresColumn> columns,
      PostgresTable table,
      ReadContext context) {
    if (stream.cursorField().isEmpty()) {
      throw ConnectorException.config(
          "Incremental sync of " + table.name() + " needs a cursor field");
    }
    String name = stream.cursorField().getFirst();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return new JdbcStreamReader.Cursor(
            i, name, columns.get(i).type(), JdbcStreamReader.resumeValue(context.state(), name));
      }
    }
    throw ConnectorException.config(
        "Cursor field '" + name + "' is not a selected column of " + table.name());
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing more to release
    }
  }
}
