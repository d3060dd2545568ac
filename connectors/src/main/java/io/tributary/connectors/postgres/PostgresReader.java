package io.tributary.connectors.postgres;

import io.tributary.connector.ReadContext;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.jdbc.JdbcSources;
import io.tributary.connectors.jdbc.JdbcStreamReader;
import io.tributary.connectors.jdbc.ParallelCopy;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.SyncMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGStatement;
import tools.jackson.databind.node.ObjectNode;

/**
 * Opens the read of one table through a server-side cursor (bounded memory whatever the table
 * size); a large table's full refresh reads key ranges in parallel ({@link PostgresRanges}).
 */
final class PostgresReader {

  private PostgresReader() {}

  static StreamReader open(
      PostgresConnections connections,
      ObjectNode config,
      ConfiguredAirbyteStream stream,
      ReadContext context) {
    if (stream.syncMode() == SyncMode.FULL_REFRESH) {
      StreamReader parallel =
          connections.openFor(
              config,
              connection -> {
                StreamReader reader =
                    PostgresRanges.open(
                        connections, config, stream, context, connection, ParallelCopy.current());
                if (reader == null) {
                  connection.close();
                }
                return reader;
              });
      if (parallel != null) {
        return parallel;
      }
    }
    return connections.openFor(
        config,
        connection -> {
          connection.setAutoCommit(false);
          connection.setReadOnly(true);
          PostgresTable table =
              new PostgresTable(stream.stream().namespace(), stream.stream().name());
          List<PostgresColumn> columns =
              JdbcSources.selected(
                  stream,
                  table.schema(),
                  table.name(),
                  PostgresCatalog.tables(
                          connection, table.schema() == null ? List.of() : List.of(table.schema()))
                      .get(table));
          StringBuilder sql =
              new StringBuilder("select ")
                  .append(Sql.columns(columns.stream().map(PostgresColumn::name).toList()))
                  .append(" from ")
                  .append(Sql.qualified(table.schema(), table.name()));
          JdbcStreamReader.Cursor cursor =
              JdbcSources.cursor(stream, columns, table.name(), context);
          String passThrough = passThrough(connection, stream, columns, context);
          if (passThrough != null) {
            return new PostgresCopyReader(
                connection,
                "select " + passThrough + " from " + Sql.qualified(table.schema(), table.name()),
                context,
                connections.errors(config));
          }
          if (cursor.startValue() != null) {
            sql.append(" where ")
                .append(Sql.quote(cursor.name()))
                .append(" >= cast(? as ")
                .append(columns.get(cursor.index()).sqlType())
                .append(")");
          }
          if (cursor != JdbcStreamReader.Cursor.NONE) {
            sql.append(" order by ").append(Sql.quote(cursor.name())).append(" asc nulls first");
          }
          PreparedStatement statement =
              JdbcSources.streaming(
                  connection, sql.toString(), context, cursor, JdbcStreamReader.Cursor::startValue);
          // binary rows: numbers and timestamps arrive as bytes to convert, not text to parse (a
          // third of a read's CPU)
          statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
          return JdbcSources.rows(
              connection, statement, columns, cursor, context, connections.errors(config));
        });
  }

  /**
   * The select list that reads the stream as the destination's own COPY tuples, or null to read
   * values: only a full refresh (a read with no resume point), only when the destination asked for
   * them and every column casts exactly, and unless {@code tributary.copy.pass-through} is false.
   */
  static String passThrough(
      Connection connection,
      ConfiguredAirbyteStream stream,
      List<PostgresColumn> columns,
      ReadContext context)
      throws SQLException {
    if (stream.syncMode() != SyncMode.FULL_REFRESH
        || context.rowFormat() == null
        || !Boolean.parseBoolean(System.getProperty("tributary.copy.pass-through", "true"))) {
      return null;
    }
    String selected =
        PostgresCopyReader.selectList(
            columns, context.rowFormat(), connection.getMetaData().getDatabaseMajorVersion());
    if (selected != null) {
      context.log("INFO", "Passing PostgreSQL's binary COPY tuples through, undecoded");
    }
    return selected;
  }
}
