package io.tributary.connectors.postgres;

import io.tributary.connector.ReadContext;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.jdbc.JdbcConnections;
import io.tributary.connectors.jdbc.JdbcSources;
import io.tributary.connectors.jdbc.JdbcStreamReader;
import io.tributary.connectors.jdbc.ParallelCopy;
import io.tributary.connectors.jdbc.ParallelReader;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.protocol.ConfiguredAirbyteStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.postgresql.PGStatement;
import tools.jackson.databind.node.ObjectNode;

/**
 * A full refresh of a large table with a single integer primary key, read as key ranges on several
 * connections at once, all under the snapshot one transaction exported: together they see exactly
 * the rows a single read at that moment would, whatever commits meanwhile.
 *
 * <p>Tables without such a key (or small ones, or when the database has few connections to spare)
 * are read sequentially, as before.
 */
final class PostgresRanges {

  private static final Set<String> INTEGER_KEYS = Set.of("int2", "int4", "int8");

  private PostgresRanges() {}

  /**
   * The parallel read, or null when the table does not qualify (the caller then reads it
   * sequentially).
   *
   * @param coordinator a fresh connection; owned by the returned reader, left open when null
   */
  static StreamReader open(
      PostgresConnections connections,
      ObjectNode config,
      ConfiguredAirbyteStream stream,
      ReadContext context,
      Connection coordinator,
      ParallelCopy settings)
      throws SQLException {
    PostgresTable table = new PostgresTable(stream.stream().namespace(), stream.stream().name());
    if (table.schema() == null || settings.readers() < 2) {
      return null;
    }
    coordinator.setAutoCommit(false);
    coordinator.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    coordinator.setReadOnly(true);
    String key = integerKey(coordinator, table);
    if (key == null) {
      coordinator.rollback();
      return null;
    }
    String qualified = Sql.qualified(table.schema(), table.name());
    long estimated;
    int free;
    String snapshot;
    long min;
    long max;
    // one repeatable-read transaction: the key's bounds and the exported snapshot are the same
    // moment
    try (var statement = coordinator.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "select pg_export_snapshot(), min("
                    + Sql.quote(key)
                    + "), max("
                    + Sql.quote(key)
                    + "), (select greatest(reltuples, 0)::bigint from pg_class where oid = '"
                    + qualified.replace("'", "''")
                    + "'::regclass), current_setting('max_connections')::int"
                    + " - (select count(*) from pg_stat_activity)::int from "
                    + qualified)) {
      rs.next();
      snapshot = rs.getString(1);
      min = rs.getLong(2);
      boolean empty = rs.wasNull();
      max = rs.getLong(3);
      estimated = empty ? 0 : rs.getLong(4);
      free = rs.getInt(5);
    }
    int readers = settings.readersFor(estimated, free);
    if (readers < 2 || max - min < readers) {
      coordinator.rollback();
      return null;
    }
    List<PostgresColumn> columns =
        JdbcSources.selected(
            stream,
            table.schema(),
            table.name(),
            PostgresCatalog.tables(coordinator, List.of(table.schema())).get(table));
    String passThrough = PostgresReader.passThrough(coordinator, stream, columns, context);
    String select =
        "select "
            + (passThrough != null
                ? passThrough
                : Sql.columns(columns.stream().map(PostgresColumn::name).toList()))
            + " from "
            + qualified
            + " where "
            + Sql.quote(key)
            + " between ";
    context.log(
        "INFO",
        "Reading "
            + table.name()
            + " as "
            + readers
            + " key ranges in parallel under one snapshot");
    List<StreamReader> parts = new ArrayList<>(readers);
    try {
      // split [min, max] evenly; the last range ends at max whatever the rounding
      long span = Math.floorDiv(max - min, readers) + 1;
      for (int i = 0; i < readers; i++) {
        long from = min + i * span;
        long to = i == readers - 1 ? max : from + span - 1;
        parts.add(
            part(
                connections,
                config,
                context,
                passThrough != null ? null : columns,
                select,
                snapshot,
                from,
                to));
      }
    } catch (RuntimeException e) {
      parts.forEach(StreamReader::close);
      throw e;
    }
    return new ParallelReader(
        parts, () -> JdbcConnections.closeQuietly(coordinator), settings.bufferBytes());
  }

  /**
   * One key range, read as values or, when {@code columns} is null, as the destination's own COPY
   * tuples ({@link PostgresCopyReader}).
   */
  private static StreamReader part(
      PostgresConnections connections,
      ObjectNode config,
      ReadContext context,
      List<PostgresColumn> columns,
      String select,
      String snapshot,
      long from,
      long to) {
    return connections.openFor(
        config,
        connection -> {
          adopt(connection, snapshot);
          if (columns == null) {
            // COPY takes no parameters; the bounds are numbers computed here
            return new PostgresCopyReader(
                connection, select + from + " and " + to, context, connections.errors(config));
          }
          PreparedStatement statement =
              connection.prepareStatement(
                  select + "? and ?", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
          statement.setFetchSize(Math.max(100, Math.min(context.batchSize(), 10_000)));
          statement.setLong(1, from);
          statement.setLong(2, to);
          // binary rows, as the sequential read
          statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
          return JdbcSources.rows(
              connection,
              statement,
              columns,
              JdbcStreamReader.Cursor.NONE,
              context,
              connections.errors(config));
        });
  }

  /** Joins the snapshot the coordinator exported, in a read-only repeatable-read transaction. */
  private static void adopt(Connection connection, String snapshot) throws SQLException {
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    connection.setReadOnly(true);
    try (var adopt = connection.createStatement()) {
      adopt.execute("set transaction snapshot '" + snapshot.replace("'", "''") + "'");
    }
  }

  /** The table's primary key when it is one integer column; null otherwise. */
  private static String integerKey(Connection connection, PostgresTable table) throws SQLException {
    try (var statement =
        connection.prepareStatement(
            """
            select min(a.attname), min(t.typname), count(*)
            from pg_index i
            join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
            join pg_type t on t.oid = a.atttypid
            where i.indisprimary and i.indrelid = cast(? as regclass)""")) {
      statement.setString(1, Sql.qualified(table.schema(), table.name()));
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() && rs.getInt(3) == 1 && INTEGER_KEYS.contains(rs.getString(2))
            ? rs.getString(1)
            : null;
      }
    }
  }
}
