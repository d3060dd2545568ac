package io.tributary.connectors.jdbc;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.ReadContext;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
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
import java.util.function.Function;

/**
 * What the JDBC sources (MySQL, PostgreSQL) do alike around their own SQL: describe the tables as
 * streams and open the streaming read of one table.
 */
public final class JdbcSources {

  private JdbcSources() {}

  /**
   * The discovered tables as streams: each its columns as fields, full refresh or incremental on a
   * cursor the user picks.
   */
  public static <T> AirbyteCatalog catalog(
      Map<T, ? extends List<? extends JdbcColumn>> tables,
      Map<T, List<List<String>>> primaryKeys,
      Function<T, String> name,
      Function<T, String> namespace) {
    List<AirbyteStream> streams = new ArrayList<>(tables.size());
    tables.forEach(
        (table, columns) ->
            streams.add(
                new AirbyteStream(
                    name.apply(table),
                    namespace.apply(table),
                    StreamSchema.jsonSchema(columns.stream().map(JdbcColumn::field).toList()),
                    List.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL),
                    false,
                    List.of(),
                    primaryKeys.getOrDefault(table, List.of()),
                    // a full refresh reads the table again from its start
                    false)));
    return new AirbyteCatalog(streams);
  }

  /**
   * The stream's fields as columns of the table, in the stream's order.
   *
   * @param available the table's columns; null when the table is gone
   */
  public static <C extends JdbcColumn> List<C> selected(
      ConfiguredAirbyteStream stream, String namespace, String table, List<C> available) {
    if (available == null) {
      throw ConnectorException.config(
          "Table " + namespace + "." + table + " no longer exists or is not readable");
    }
    Map<String, C> byName = new HashMap<>();
    available.forEach(c -> byName.put(c.name(), c));
    List<C> columns = new ArrayList<>();
    for (Field field : StreamSchema.fields(stream.stream().jsonSchema())) {
      C column = byName.get(field.name());
      if (column == null) {
        throw ConnectorException.config(
            "Column '" + field.name() + "' of " + table + " no longer exists");
      }
      columns.add(column);
    }
    return columns;
  }

  /** The incremental read's cursor among the selected columns; none for a full refresh. */
  public static JdbcStreamReader.Cursor cursor(
      ConfiguredAirbyteStream stream,
      List<? extends JdbcColumn> columns,
      String table,
      ReadContext context) {
    if (stream.syncMode() != SyncMode.INCREMENTAL) {
      return JdbcStreamReader.Cursor.NONE;
    }
    if (stream.cursorField().isEmpty()) {
      throw ConnectorException.config("Incremental sync of " + table + " needs a cursor field");
    }
    String name = stream.cursorField().getFirst();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return new JdbcStreamReader.Cursor(
            i, name, columns.get(i).type(), JdbcStreamReader.resumeValue(context.state(), name));
      }
    }
    throw ConnectorException.config(
        "Cursor field '" + name + "' is not a selected column of " + table);
  }

  /**
   * A forward-only statement that fetches rows in batches near the read's batch size. When the
   * cursor resumes, its one parameter is the start value as {@code literal} writes it for the
   * database.
   */
  public static PreparedStatement streaming(
      Connection connection,
      String sql,
      ReadContext context,
      JdbcStreamReader.Cursor cursor,
      Function<JdbcStreamReader.Cursor, String> literal)
      throws SQLException {
    PreparedStatement statement =
        connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    statement.setFetchSize(Math.max(100, Math.min(context.batchSize(), 10_000)));
    if (cursor.startValue() != null) {
      statement.setString(1, literal.apply(cursor));
    }
    return statement;
  }

  /** Executes the prepared query and reads its rows as the selected columns. */
  public static JdbcStreamReader rows(
      Connection connection,
      PreparedStatement statement,
      List<? extends JdbcColumn> columns,
      JdbcStreamReader.Cursor cursor,
      ReadContext context,
      Function<SQLException, ConnectorException> errors)
      throws SQLException {
    return new JdbcStreamReader(
        connection,
        statement,
        statement.executeQuery(),
        columns.stream().map(JdbcColumn::reader).toList(),
        cursor,
        context,
        errors);
  }
}
