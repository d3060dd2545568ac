package io.tributary.connectors.postgres;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.ReadContext;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.Field;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import io.tributary.protocol.Values;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streams one table through a server-side cursor (bounded memory whatever the table size).
 *
 * <p>Incremental reads order by the cursor column and resume with {@code cursor >= last value}: rows sharing
 * the last value are read again rather than risk losing one that arrived after the checkpoint (so an
 * {@code append_dedup} destination ends with exactly one row per key).
 */
final class PostgresReader implements StreamReader {

  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet rows;
  private final List<PostgresColumn> columns;
  private final int cursorIndex;
  private final ReadContext context;
  private final ObjectNode config;
  private String cursorValue;
  private boolean exhausted;

  private PostgresReader(Connection connection, PreparedStatement statement, ResultSet rows, List<PostgresColumn> columns,
      int cursorIndex, String startCursor, ReadContext context, ObjectNode config) {
    this.connection = connection;
    this.statement = statement;
    this.rows = rows;
    this.columns = columns;
    this.cursorIndex = cursorIndex;
    this.cursorValue = startCursor;
    this.context = context;
    this.config = config;
  }

  static PostgresReader open(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext context) {
    Connection connection = PostgresConnections.open(config, PostgresSource.CONNECT_TIMEOUT);
    try {
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      PostgresTable table = new PostgresTable(stream.stream().namespace(), stream.stream().name());
      List<PostgresColumn> available = PostgresCatalog.tables(connection,
          table.schema() == null ? List.of() : List.of(table.schema())).get(table);
      if (available == null) {
        throw ConnectorException.config("Table " + table.schema() + "." + table.name() + " no longer exists or is not readable");
      }
      Map<String, PostgresColumn> byName = new java.util.HashMap<>();
      available.forEach(c -> byName.put(c.name(), c));
      List<PostgresColumn> columns = new ArrayList<>();
      for (Field field : StreamSchema.fields(stream.stream().jsonSchema())) {
        PostgresColumn column = byName.get(field.name());
        if (column == null) {
          throw ConnectorException.config("Column '" + field.name() + "' of " + table.name() + " no longer exists");
        }
        columns.add(column);
      }
      int cursorIndex = -1;
      String start = null;
      StringBuilder sql = new StringBuilder("select ")
          .append(Sql.columns(columns.stream().map(PostgresColumn::name).toList()))
          .append(" from ").append(Sql.qualified(table.schema(), table.name()));
      if (stream.syncMode() == SyncMode.INCREMENTAL) {
        if (stream.cursorField().isEmpty()) {
          throw ConnectorException.config("Incremental sync of " + table.name() + " needs a cursor field");
        }
        String cursor = stream.cursorField().getFirst();
        for (int i = 0; i < columns.size(); i++) {
          if (columns.get(i).name().equals(cursor)) {
            cursorIndex = i;
          }
        }
        if (cursorIndex < 0) {
          throw ConnectorException.config("Cursor field '" + cursor + "' is not a selected column of " + table.name());
        }
        JsonNode state = context.state();
        if (state != null && state.hasNonNull("cursor") && cursor.equals(state.path("cursor_field").path(0).asString(cursor))) {
          start = state.get("cursor").asString();
          sql.append(" where ").append(Sql.quote(cursor)).append(" >= cast(? as ").append(columns.get(cursorIndex).sqlType()).append(")");
        }
        sql.append(" order by ").append(Sql.quote(cursor)).append(" asc nulls first");
      }
      PreparedStatement statement = connection.prepareStatement(sql.toString(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(Math.max(100, Math.min(context.batchSize(), 10_000)));
      if (start != null) {
        statement.setString(1, start);
      }
      return new PostgresReader(connection, statement, statement.executeQuery(), columns, cursorIndex, start, context, config);
    } catch (SQLException e) {
      close(connection);
      throw PostgresErrors.translate(e, config);
    } catch (RuntimeException e) {
      close(connection);
      throw e;
    }
  }

  @Override
  public RecordBatch next() {
    if (exhausted) {
      return null;
    }
    int limit = context.batchSize();
    List<Object[]> records = new ArrayList<>(Math.min(limit, 10_000));
    long bytes = 0;
    try {
      while (records.size() < limit && !context.cancelled()) {
        if (!rows.next()) {
          exhausted = true;
          break;
        }
        Object[] record = new Object[columns.size()];
        for (int i = 0; i < record.length; i++) {
          Object value = columns.get(i).read(rows, i + 1);
          record[i] = value;
          bytes += size(value);
        }
        records.add(record);
      }
    } catch (SQLException e) {
      throw PostgresErrors.translate(e, config);
    }
    if (records.isEmpty()) {
      return null;
    }
    if (cursorIndex >= 0) {
      Object last = records.getLast()[cursorIndex];
      if (last != null) {
        PostgresColumn cursor = columns.get(cursorIndex);
        cursorValue = Values.text(cursor.type(), last);
      }
    }
    return new RecordBatch(records, bytes);
  }

  @Override
  public JsonNode state() {
    if (cursorIndex < 0 || cursorValue == null) {
      return null;
    }
    ObjectNode state = JsonNodeFactory.instance.objectNode();
    state.putArray("cursor_field").add(columns.get(cursorIndex).name());
    state.put("cursor", cursorValue);
    return state;
  }

  @Override
  public void close() {
    try {
      rows.close();
      statement.close();
    } catch (SQLException ignored) {
      // the connection close below releases everything
    }
    close(connection);
  }

  private static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing more to release
    }
  }

  private static long size(Object value) {
    if (value == null) {
      return 1;
    }
    if (value instanceof String s) {
      return s.length() + 4;
    }
    if (value instanceof byte[] b) {
      return b.length + 4;
    }
    return 8;
  }
}
