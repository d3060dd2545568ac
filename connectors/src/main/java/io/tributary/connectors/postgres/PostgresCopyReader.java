package io.tributary.connectors.postgres;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.ReadContext;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.jdbc.JdbcConnections;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.protocol.EncodedRecords;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import tools.jackson.databind.JsonNode;

/**
 * Reads a table as PostgreSQL's binary COPY tuples and hands them on untouched, for a PostgreSQL
 * destination that takes them as they are ({@link RowFormat#POSTGRES_BINARY_COPY}). No value is
 * decoded here nor encoded there: the two servers exchange their own bytes, as a {@code COPY TO |
 * COPY FROM} pipe does, and the JVM only finds where each tuple ends.
 *
 * <p>The source casts in its query what the destination stores differently ({@code integer} into
 * {@code bigint}, {@code double precision} into {@code numeric} through its shortest exact text, as
 * the value path writes it). A column it cannot cast exactly keeps the whole stream on the value
 * path ({@link #selectList} answers null).
 */
final class PostgresCopyReader implements StreamReader {

  /** Bytes of tuples per batch. */
  private static final int BATCH_BYTES = 1 << 20;

  /** Signature (11 bytes), flags and header extension length (4 bytes each). */
  private static final int HEADER = 19;

  private final Connection connection;
  private final CopyOut copy;
  private final ReadContext context;
  private final Function<SQLException, ConnectorException> errors;
  private byte[] carried = new byte[0];
  private boolean headerSeen;
  private boolean ended;

  /**
   * Starts {@code copy (select ...) to stdout (format binary)} in {@code connection}'s open
   * transaction; the reader then owns the connection.
   *
   * @param query the rows to copy, selecting {@link #selectList} for the context's row format
   */
  PostgresCopyReader(
      Connection connection,
      String query,
      ReadContext context,
      Function<SQLException, ConnectorException> errors)
      throws SQLException {
    this.connection = connection;
    this.context = context;
    this.errors = errors;
    try (var session = connection.createStatement()) {
      // float8's shortest exact text, whatever the connection's options asked for
      session.execute("set local extra_float_digits = 3");
    }
    this.copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyOut("copy (" + query + ") to stdout (format binary)");
  }

  /**
   * The select list that renders {@code columns} in the types {@code format} names, or null when a
   * column has no exact cast (the stream is then read as values).
   *
   * @param serverMajor the source server's major version: timestamps are the binary format's
   *     integers from 10 on (earlier builds could store floats), numeric infinities need 14
   */
  static String selectList(List<PostgresColumn> columns, RowFormat format, int serverMajor) {
    if (format == null
        || serverMajor < 10
        || !RowFormat.POSTGRES_BINARY_COPY.equals(format.name())
        || format.columnTypes().size() != columns.size()) {
      return null;
    }
    List<String> expressions = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      String expression =
          expression(columns.get(i), format.columnTypes().get(i), serverMajor >= 14);
      if (expression == null) {
        return null;
      }
      expressions.add(expression);
    }
    return String.join(", ", expressions);
  }

  /**
   * One column as the destination type, only where the bytes then equal what the value path would
   * write: char(n) is left out (a cast to text drops its padding), and so are types the value path
   * renders its own way (arrays, intervals, ...).
   */
  private static String expression(PostgresColumn column, String target, boolean numericInfinity) {
    String name = Sql.quote(column.name());
    return switch (target + " <- " + column.typeName()) {
      case "bigint <- int8",
          "numeric <- numeric",
          "boolean <- bool",
          "text <- text",
          "date <- date",
          "time <- time",
          "timetz <- timetz",
          "timestamp <- timestamp",
          "timestamptz <- timestamptz",
          "bytea <- bytea",
          "jsonb <- jsonb" ->
          name;
      case "bigint <- int2", "bigint <- int4" -> "cast(" + name + " as bigint)";
      // a uuid's text is its canonical lower-case form, as the driver's UUID prints it
      case "text <- varchar", "text <- uuid" -> "cast(" + name + " as text)";
      case "jsonb <- json" -> "cast(" + name + " as jsonb)";
      // float8's text is its shortest exact digits (PostgreSQL 12 on), as Java's Double.toString;
      // a direct cast would round to 15
      case "numeric <- float8", "numeric <- float4" ->
          numericInfinity ? "cast(cast(" + name + " as text) as numeric)" : null;
      default -> null;
    };
  }

  @Override
  public RecordBatch next() {
    if (ended || context.cancelled()) {
      return null;
    }
    try {
      byte[] buffer = Arrays.copyOf(carried, Math.max(BATCH_BYTES + (1 << 16), carried.length));
      int length = carried.length;
      int parsed = 0;
      int count = 0;
      while (true) {
        if (!headerSeen && length >= HEADER) {
          int extension = int32(buffer, 15);
          if (length >= HEADER + extension) {
            int skip = HEADER + extension;
            System.arraycopy(buffer, skip, buffer, 0, length - skip);
            length -= skip;
            headerSeen = true;
          }
        }
        if (headerSeen) {
          for (int end; (end = tupleEnd(buffer, parsed, length)) > 0; parsed = end) {
            count++;
          }
          if (parsed + 2 <= length && int16(buffer, parsed) == -1) {
            ended = true;
            break;
          }
        }
        if (parsed >= BATCH_BYTES) {
          break;
        }
        byte[] chunk = copy.readFromCopy();
        if (chunk == null) {
          if (length > parsed) {
            throw ConnectorException.system("The COPY from the source ended inside a row", null);
          }
          ended = true;
          break;
        }
        if (length + chunk.length > buffer.length) {
          buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + chunk.length));
        }
        System.arraycopy(chunk, 0, buffer, length, chunk.length);
        length += chunk.length;
      }
      carried = ended ? new byte[0] : Arrays.copyOfRange(buffer, parsed, length);
      if (ended) {
        drain();
      }
      return count == 0
          ? null
          : RecordBatch.of(new EncodedRecords(context.rowFormat(), buffer, parsed, count));
    } catch (SQLException e) {
      throw errors.apply(e);
    }
  }

  /** Reads what follows the trailer, so the copy completes and the connection is usable again. */
  private void drain() throws SQLException {
    while (copy.isActive() && copy.readFromCopy() != null) {
      // nothing follows a trailer but the end of the copy
    }
  }

  /** Where the tuple at {@code start} ends, or -1 when it is incomplete or is the trailer. */
  private static int tupleEnd(byte[] bytes, int start, int length) {
    if (start + 2 > length) {
      return -1;
    }
    int fields = int16(bytes, start);
    if (fields < 0) {
      return -1;
    }
    int position = start + 2;
    for (int i = 0; i < fields; i++) {
      if (position + 4 > length) {
        return -1;
      }
      int size = int32(bytes, position);
      position += 4 + Math.max(size, 0);
      if (position > length) {
        return -1;
      }
    }
    return position;
  }

  private static int int16(byte[] bytes, int at) {
    return (short) ((bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF);
  }

  private static int int32(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) << 24
        | (bytes[at + 1] & 0xFF) << 16
        | (bytes[at + 2] & 0xFF) << 8
        | bytes[at + 3] & 0xFF;
  }

  @Override
  public JsonNode state() {
    return null; // a full refresh starts over
  }

  /** PostgreSQL's cancel request, sent on a connection of its own: safe from any thread. */
  @Override
  public void abort() {
    try {
      connection.unwrap(PGConnection.class).cancelQuery();
    } catch (SQLException ignored) {
      // the COPY ends with its connection at close
    }
  }

  @Override
  public void close() {
    if (copy.isActive()) {
      try {
        copy.cancelCopy();
      } catch (SQLException ignored) {
        // closing the connection ends it anyway
      }
    }
    JdbcConnections.rollbackQuietly(connection);
    JdbcConnections.closeQuietly(connection);
  }
}
