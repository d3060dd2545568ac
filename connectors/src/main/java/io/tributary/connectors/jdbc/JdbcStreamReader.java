package io.tributary.connectors.jdbc;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.ReadContext;
import io.tributary.connector.StreamReader;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.Values;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Batches the rows of an open, streaming result set into records and tracks the incremental cursor.
 * The dialect opens the connection and the query (ordered by the cursor for incremental reads) and
 * says how to read each column; this class owns everything after that, including closing.
 *
 * <p>State is {@code {"cursor_field": [name], "cursor": "<last value as text>"}}; dialects resume
 * with {@code cursor >= value}, re-reading rows that share the last value rather than risk losing
 * one.
 */
public final class JdbcStreamReader implements StreamReader {

  /** Reads one column of the current row; 1-based index. */
  @FunctionalInterface
  public interface ColumnReader {
    Object read(ResultSet rows, int index) throws SQLException;
  }

  /** Which column is the cursor, and its type, for state; {@code index} -1 for a full refresh. */
  public record Cursor(int index, String name, FieldType type, String startValue) {
    public static final Cursor NONE = new Cursor(-1, null, null, null);
  }

  private final Connection connection;
  private final Statement statement;
  private final ResultSet rows;
  private final ColumnReader[] columns;
  private final Cursor cursor;
  private final ReadContext context;
  private final Function<SQLException, ConnectorException> errors;
  private String cursorValue;
  private boolean exhausted;

  public JdbcStreamReader(
      Connection connection,
      Statement statement,
      ResultSet rows,
      List<ColumnReader> columns,
      Cursor cursor,
      ReadContext context,
      Function<SQLException, ConnectorException> errors) {
    this.connection = connection;
    this.statement = statement;
    this.rows = rows;
    this.columns = columns.toArray(ColumnReader[]::new);
    this.cursor = cursor;
    this.cursorValue = cursor.startValue();
    this.context = context;
    this.errors = errors;
  }

  @Override
  public RecordBatch next() {
    if (exhausted) {
      return null;
    }
    int limit = context.batchSize();
    List<Object[]> records = new ArrayList<>(Math.min(limit, 10_000));
    long bytes = 0;
    long heap = 0;
    try {
      while (records.size() < limit && !context.cancelled()) {
        if (!rows.next()) {
          exhausted = true;
          break;
        }
        Object[] record = new Object[columns.length];
        for (int i = 0; i < record.length; i++) {
          Object value = columns[i].read(rows, i + 1);
          record[i] = value;
          bytes += size(value);
          // measured here while the value is fresh in the cache, not in a second pass over the
          // batch
          heap += RecordBatch.valueHeap(value);
        }
        heap += RecordBatch.recordHeap(record.length);
        records.add(record);
      }
    } catch (SQLException e) {
      throw errors.apply(e);
    }
    if (records.isEmpty()) {
      return null;
    }
    if (cursor.index() >= 0 && records.getLast()[cursor.index()] != null) {
      cursorValue = Values.text(cursor.type(), records.getLast()[cursor.index()]);
    }
    return new RecordBatch(records, bytes, heap + RecordBatch.listHeap(records.size()));
  }

  @Override
  public JsonNode state() {
    if (cursor.index() < 0 || cursorValue == null) {
      return null;
    }
    ObjectNode state = JsonNodeFactory.instance.objectNode();
    state.putArray("cursor_field").add(cursor.name());
    state.put("cursor", cursorValue);
    return state;
  }

  /** The cursor value to resume from, when the state was written for this cursor field. */
  public static String resumeValue(JsonNode state, String cursorField) {
    if (state == null || !state.hasNonNull("cursor")) {
      return null;
    }
    return cursorField.equals(state.path("cursor_field").path(0).asString(cursorField))
        ? state.get("cursor").asString()
        : null;
  }

  /** JDBC's own way to stop a statement from another thread; the database ends the query. */
  @Override
  public void abort() {
    try {
      statement.cancel();
    } catch (SQLException ignored) {
      // the query ends with its connection at close
    }
  }

  @Override
  public void close() {
    try {
      rows.close();
      statement.close();
    } catch (SQLException ignored) {
      // closing the connection releases them
    }
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
      return s.length() + 4L;
    }
    if (value instanceof byte[] b) {
      return b.length + 4L;
    }
    return 8;
  }
}
