package io.tributary.connectors.postgres;

import static io.tributary.connectors.jdbc.Sql.quote;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.jdbc.JdbcConnections;
import io.tributary.connectors.jdbc.ParallelCopy;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one stream through one connection and one open transaction per checkpoint: records stream
 * in with {@code COPY}; {@link #commit} ends the copy, merges if deduplicating, records the state,
 * and commits.
 *
 * <p>Append copies straight into the final table. Overwrite copies into a staging table that {@link
 * #complete()} swaps in, so readers see the old table or the new one, never a mix. Append-dedup
 * copies into a temporary table and merges on the primary key, latest cursor value (then latest
 * arrival) winning.
 */
final class PostgresWriter implements StreamWriter {

  static final String EXTRACTED_AT = "_airbyte_extracted_at";
  private static final String STATE_TABLE = "\"_tributary\".\"stream_state\"";
  private static final String SEQUENCE = "_tributary_seq";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int FLUSH_BYTES = 1 << 20;

  private final Connection connection;
  private final WriteTarget target;
  private final ObjectNode config;
  private final String finalTable;
  private final String copyTable;
  private final List<Field> copyFields;
  private final CopyEncoder encoder;
  private final OffsetDateTime extractedAt;
  private final RowFormat rowFormat;
  private CopyIn copy;
  private boolean copyingEncoded;
  private long sequence;
  private PostgresConnections connections;
  private CopyLanes lanes;
  private long written;

  private PostgresWriter(
      Connection connection,
      WriteTarget target,
      ObjectNode config,
      String finalTable,
      String copyTable,
      List<Field> copyFields,
      CopyEncoder encoder,
      OffsetDateTime extractedAt,
      RowFormat rowFormat) {
    this.connection = connection;
    this.target = target;
    this.config = config;
    this.finalTable = finalTable;
    this.copyTable = copyTable;
    this.copyFields = copyFields;
    this.encoder = encoder;
    this.extractedAt = extractedAt;
    this.rowFormat = rowFormat;
  }

  static PostgresWriter open(
      PostgresConnections connections, ObjectNode config, WriteTarget target) {
    PostgresWriter writer =
        connections.openFor(config, connection -> begin(connection, config, target));
    writer.connections = connections;
    return writer;
  }

  /** Creates the tables the target needs and starts its first transaction. */
  private static PostgresWriter begin(Connection connection, ObjectNode config, WriteTarget target)
      throws SQLException {
    connection.setAutoCommit(false);
    String namespace =
        target.namespace() == null || target.namespace().isBlank()
            ? config.path("schema").asString("public")
            : target.namespace();
    String finalTable = Sql.qualified(namespace, target.name());
    String copyTable = finalTable;
    List<Field> copyFields = new ArrayList<>(target.fields());
    copyFields.add(new Field(EXTRACTED_AT, FieldType.TIMESTAMP_WITH_TIMEZONE));
    try (Statement ddl = connection.createStatement()) {
      // writers opening on a new database at once would otherwise race to create these
      ddl.execute("select pg_advisory_xact_lock(hashtext('_tributary'))");
      ddl.execute("create schema if not exists \"_tributary\"");
      ddl.execute(
          "create table if not exists "
              + STATE_TABLE
              + " (state_key text primary key, state jsonb, committed_at timestamptz not null default now())");
      if (!stateNamesItsTable(connection)) {
        // once, in a transaction of its own: the lock it takes stops every sync's commits here
        ddl.execute("set local lock_timeout = '30s'");
        ddl.execute("alter table " + STATE_TABLE + " add column if not exists table_name text");
      }
      connection.commit();
      ddl.execute("select pg_advisory_xact_lock(hashtext(" + literal(namespace) + "))");
      ddl.execute("create schema if not exists " + quote(namespace));
      // an overwritten table appears only whole, at the swap: until then readers see the previous
      // one, or none
      String createdTable =
          target.mode() == DestinationSyncMode.OVERWRITE
              ? stagingTable(namespace, target)
              : finalTable;
      Sql.createOrWiden(ddl, createdTable, copyFields, PostgresWriter::sqlType);
      retype(connection, createdTable, target);
      switch (target.mode()) {
        case APPEND_DEDUP -> {
          // named after its columns too: a changed key gets its own index, and the old one, which
          // would refuse rows the new key tells apart, goes
          String keyIndex = "_trb_pk_" + hash(target.stateKey() + finalTable + keyColumns(target));
          dropOtherKeyIndexes(connection, namespace, finalTable, keyIndex);
          if (!exists(connection, Sql.qualified(namespace, keyIndex))) {
            keepLatestOfEachKey(ddl, finalTable, target);
          }
          ddl.execute(
              "create unique index if not exists "
                  + quote(keyIndex)
                  + " on "
                  + finalTable
                  + " ("
                  + Sql.columns(keyColumns(target))
                  + ")");
          copyTable = quote("_trb_stage_" + hash(finalTable));
          ddl.execute(
              "create temporary table "
                  + copyTable
                  + " (like "
                  + finalTable
                  + ") on commit delete rows");
          ddl.execute("alter table " + copyTable + " add column " + SEQUENCE + " bigint");
          copyFields.add(new Field(SEQUENCE, FieldType.INTEGER));
        }
        case OVERWRITE -> copyTable = createdTable;
        // a stream deduplicated before keeps versions of a key now: its key index would refuse them
        case APPEND -> dropOtherKeyIndexes(connection, namespace, finalTable, "");
      }
    }
    CopyEncoder encoder =
        hasCreatedTypes(connection, copyTable, copyFields)
            ? new CopyBinary(copyFields)
            : new CopyText(copyFields);
    OffsetDateTime extractedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    RowFormat rowFormat = null;
    if (target.mode() == DestinationSyncMode.OVERWRITE && encoder instanceof CopyBinary) {
      // tuples passed through carry the source's fields only: the column default adds the
      // extraction time, until the swap drops it
      try (Statement ddl = connection.createStatement()) {
        ddl.execute(
            "alter table "
                + copyTable
                + " alter column "
                + quote(EXTRACTED_AT)
                + " set default "
                + literal(extractedAt.toString())
                + "::timestamptz");
      }
      rowFormat =
          new RowFormat(
              RowFormat.POSTGRES_BINARY_COPY,
              target.fields().stream().map(PostgresWriter::sqlType).toList());
    }
    connection.commit();
    PostgresWriter writer =
        new PostgresWriter(
            connection,
            target,
            config,
            finalTable,
            copyTable,
            copyFields,
            encoder,
            extractedAt,
            rowFormat);
    if (target.mode() == DestinationSyncMode.OVERWRITE && writer.committedState() == null) {
      try (Statement reset = connection.createStatement()) {
        reset.execute("truncate " + copyTable);
      }
      connection.commit();
    }
    return writer;
  }

  private static boolean exists(Connection connection, String qualifiedName) throws SQLException {
    try (var statement = connection.prepareStatement("select to_regclass(?) is not null")) {
      statement.setString(1, qualifiedName);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * Deletes all but the latest version of each key (by cursor, then extraction time, then the order
   * rows were written), before a key's unique index is built on a table that had none: rows
   * appended before the stream was deduplicated hold several, and would fail the index for good.
   * Rows with a null key stay, as the index lets them.
   */
  private static void keepLatestOfEachKey(Statement ddl, String finalTable, WriteTarget target)
      throws SQLException {
    List<String> keys = keyColumns(target);
    String latestFirst =
        (target.cursorField().isEmpty()
                ? ""
                : quote(target.cursorField().getFirst()) + " desc nulls last, ")
            + quote(EXTRACTED_AT)
            + " desc nulls last, ctid desc";
    ddl.execute(
        "delete from "
            + finalTable
            + " t using (select ctid as row_id, row_number() over (partition by "
            + Sql.columns(keys)
            + " order by "
            + latestFirst
            + ") as version from "
            + finalTable
            + " where "
            + keys.stream().map(k -> quote(k) + " is not null").collect(Collectors.joining(" and "))
            + ") older where t.ctid = older.row_id and older.version > 1");
  }

  /**
   * Whether state rows name the table they were committed with. A row says how far one table is: a
   * stream writing elsewhere in the same database (a changed default schema) starts there anew.
   * Rows written before the column was added name none and are taken as the stream's.
   */
  private static boolean stateNamesItsTable(Connection connection) throws SQLException {
    try (var statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "select 1 from information_schema.columns where table_schema = '_tributary'"
                    + " and table_name = 'stream_state' and column_name = 'table_name'")) {
      return rs.next();
    }
  }

  /** Drops the table's key indexes other than {@code keep}: those of a key it no longer has. */
  private static void dropOtherKeyIndexes(
      Connection connection, String namespace, String finalTable, String keep) throws SQLException {
    List<String> stale = new ArrayList<>();
    try (var statement =
        connection.prepareStatement(
            "select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid"
                + " where i.indrelid = cast(? as regclass) and c.relname like '\\_trb\\_pk\\_%'"
                + " and c.relname <> ?")) {
      statement.setString(1, finalTable);
      statement.setString(2, keep);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          stale.add(rows.getString(1));
        }
      }
    }
    try (Statement drop = connection.createStatement()) {
      for (String index : stale) {
        drop.execute("drop index " + Sql.qualified(namespace, index));
      }
    }
  }

  @Override
  public JsonNode committedState() {
    try (var statement =
        connection.prepareStatement(
            "select state::text from "
                + STATE_TABLE
                + " where state_key = ? and (table_name is null or table_name = ?)")) {
      statement.setString(1, target.stateRow());
      statement.setString(2, finalTable);
      try (var rs = statement.executeQuery()) {
        JsonNode state =
            rs.next() && rs.getString(1) != null ? JSON.readTree(rs.getString(1)) : null;
        connection.commit();
        return state;
      }
    } catch (SQLException e) {
      throw PostgresErrors.translate(e, config);
    }
  }

  @Override
  public RowFormat rowFormat() {
    return rowFormat;
  }

  @Override
  public void write(RecordBatch batch) {
    if (lanes == null && parallelCopyDue()) {
      lanes = startLanes();
    }
    if (lanes != null) {
      lanes.write(batch);
      return;
    }
    written += batch.size();
    try {
      if (batch.encoded() != null) {
        if (!batch.encoded().format().equals(rowFormat)) {
          throw ConnectorException.system(
              "Records arrived encoded in a format this table does not take", null);
        }
        openCopy(true);
        encoder.drain((bytes, length) -> copy.writeToCopy(bytes, 0, length));
        copy.writeToCopy(batch.encoded().data(), 0, batch.encoded().length());
        return;
      }
      openCopy(false);
      int width = target.fields().size();
      for (Object[] record : batch.records()) {
        Object[] row = new Object[copyFields.size()];
        System.arraycopy(record, 0, row, 0, width);
        row[width] = extractedAt;
        if (row.length > width + 1) {
          row[width + 1] = ++sequence;
        }
        encoder.append(row);
        if (encoder.pending() >= FLUSH_BYTES) {
          encoder.drain((bytes, length) -> copy.writeToCopy(bytes, 0, length));
        }
      }
    } catch (SQLException e) {
      throw PostgresErrors.translate(e, config);
    }
  }

  @Override
  public void commit(JsonNode state) {
    if (lanes != null) {
      lanes.flush();
    }
    try {
      endCopy();
      if (target.mode() == DestinationSyncMode.APPEND_DEDUP) {
        try (Statement merge = connection.createStatement()) {
          merge.execute(mergeSql());
        }
      }
      saveState(state);
      connection.commit();
    } catch (SQLException e) {
      JdbcConnections.rollbackQuietly(connection);
      throw PostgresErrors.translate(e, config);
    }
  }

  @Override
  public void complete() {
    if (lanes != null) {
      lanes.close();
      lanes = null;
    }
    if (target.mode() != DestinationSyncMode.OVERWRITE) {
      return;
    }
    try (Statement swap = connection.createStatement()) {
      swap.execute("set local lock_timeout = '60s'");
      if (rowFormat != null) {
        swap.execute(
            "alter table " + copyTable + " alter column " + quote(EXTRACTED_AT) + " drop default");
      }
      swap.execute("drop table if exists " + finalTable);
      swap.execute("alter table " + copyTable + " rename to " + quote(target.name()));
      clearState();
      connection.commit();
    } catch (SQLException e) {
      JdbcConnections.rollbackQuietly(connection);
      if (!"2BP01".equals(e.getSQLState())) {
        throw PostgresErrors.translate(e, config);
      }
      replaceKeepingDependents();
    }
  }

  /**
   * Views depend on the table, so it cannot be dropped: replace its rows instead, in one
   * transaction. Columns go by name: the table gains the stream's new ones, and keeps those the
   * source dropped, empty.
   */
  private void replaceKeepingDependents() {
    try (Statement replace = connection.createStatement()) {
      Sql.createOrWiden(replace, finalTable, copyFields, PostgresWriter::sqlType);
      replace.execute("truncate " + finalTable);
      String columns = Sql.columns(copyFields.stream().map(Field::name).toList());
      replace.execute(
          "insert into "
              + finalTable
              + " ("
              + columns
              + ") select "
              + columns
              + " from "
              + copyTable);
      replace.execute("drop table " + copyTable);
      clearState();
      connection.commit();
    } catch (SQLException e) {
      JdbcConnections.rollbackQuietly(connection);
      throw PostgresErrors.translate(e, config);
    }
  }

  @Override
  public void close() {
    if (lanes != null) {
      lanes.close();
    }
    abandon(copy, connection);
  }

  /**
   * Gives up a connection's uncommitted work: its COPY under way, if any, and its transaction.
   * Nothing written on it since the last commit stays.
   */
  static void abandon(CopyIn copy, Connection connection) {
    if (copy != null) {
      try {
        copy.cancelCopy();
      } catch (SQLException ignored) {
        // the rollback discards it anyway
      }
    }
    JdbcConnections.rollbackQuietly(connection);
    JdbcConnections.closeQuietly(connection);
  }

  /**
   * Whether the rest of this stream goes through parallel copies: only into an overwrite's staging
   * table, for a read without a cursor (a full refresh, which restarts from scratch and truncates
   * the staging table after a crash, so lanes committing before the state costs nothing), and only
   * once the stream proved large.
   */
  private boolean parallelCopyDue() {
    ParallelCopy settings = ParallelCopy.current();
    return connections != null
        && target.mode() == DestinationSyncMode.OVERWRITE
        && target.cursorField().isEmpty()
        && settings.readers() >= 2
        && written >= settings.minRows();
  }

  /**
   * Opens this connection's COPY, for records encoded by the source (the target's fields only, the
   * extraction time coming from the column's default) or for values, ending one of the other kind.
   */
  private void openCopy(boolean encoded) throws SQLException {
    if (copy != null && copyingEncoded != encoded) {
      endCopy();
    }
    if (copy == null) {
      copy =
          connection
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  copySql(copyTable, encoded ? target.fields() : copyFields) + encoder.options());
      encoder.begin();
      copyingEncoded = encoded;
    }
  }

  static String copySql(String table, List<Field> fields) {
    return "copy "
        + table
        + " ("
        + Sql.columns(fields.stream().map(Field::name).toList())
        + ") from stdin";
  }

  /** Ends this connection's own COPY, if one is open; its rows commit with the transaction. */
  private void endCopy() throws SQLException {
    if (copy != null) {
      encoder.end();
      encoder.drain((bytes, length) -> copy.writeToCopy(bytes, 0, length));
      copy.endCopy();
      copy = null;
    }
  }

  private CopyLanes startLanes() {
    int free;
    try {
      // a connection in COPY takes no other statement: the driver waits for the copy's end,
      // forever when it is this thread's own
      endCopy();
    } catch (SQLException e) {
      throw PostgresErrors.translate(e, config);
    }
    try (Statement statement = connection.createStatement();
        var rs =
            statement.executeQuery(
                "select current_setting('max_connections')::int"
                    + " - (select count(*) from pg_stat_activity)::int")) {
      rs.next();
      free = rs.getInt(1);
      connection.commit();
    } catch (SQLException e) {
      throw PostgresErrors.translate(e, config);
    }
    int count = ParallelCopy.current().readersFor(Long.MAX_VALUE, free);
    if (count < 2) {
      connections = null; // not again for this stream
      return null;
    }
    boolean binary = encoder instanceof CopyBinary;
    return new CopyLanes(
        count,
        () -> connections.open(config),
        config,
        copyTable,
        copyFields,
        target.fields(),
        () -> binary ? new CopyBinary(copyFields) : new CopyText(copyFields),
        extractedAt);
  }

  private String mergeSql() {
    List<String> keys = keyColumns(target);
    List<String> columns = new ArrayList<>(target.fields().stream().map(Field::name).toList());
    columns.add(EXTRACTED_AT);
    String list = Sql.columns(columns);
    String order =
        Sql.columns(keys)
            + (target.cursorField().isEmpty()
                ? ""
                : ", " + quote(target.cursorField().getFirst()) + " desc nulls last")
            + ", "
            + SEQUENCE
            + " desc";
    List<String> updates =
        columns.stream()
            .filter(c -> !keys.contains(c))
            .map(c -> quote(c) + " = excluded." + quote(c))
            .toList();
    String conflict =
        updates.isEmpty() ? " do nothing" : " do update set " + String.join(", ", updates);
    if (!updates.isEmpty() && !target.cursorField().isEmpty()) {
      String cursor = quote(target.cursorField().getFirst());
      conflict +=
          " where "
              + finalTable
              + "."
              + cursor
              + " is null or excluded."
              + cursor
              + " >= "
              + finalTable
              + "."
              + cursor;
    }
    return "insert into "
        + finalTable
        + " ("
        + list
        + ") select distinct on ("
        + Sql.columns(keys)
        + ") "
        + list
        + " from "
        + copyTable
        + " order by "
        + order
        + " on conflict ("
        + Sql.columns(keys)
        + ")"
        + conflict;
  }

  private void saveState(JsonNode state) throws SQLException {
    try (var upsert =
        connection.prepareStatement(
            "insert into "
                + STATE_TABLE
                + " (state_key, state, table_name, committed_at) values (?, cast(? as jsonb), ?, now())"
                + " on conflict (state_key) do update set state = excluded.state,"
                + " table_name = excluded.table_name, committed_at = now()")) {
      upsert.setString(1, target.stateRow());
      upsert.setString(2, state == null ? null : state.toString());
      upsert.setString(3, finalTable);
      upsert.executeUpdate();
    }
  }

  /** At the swap: the table is new, so no progress of either mode holds for it. */
  private void clearState() throws SQLException {
    try (var delete =
        connection.prepareStatement(
            "delete from " + STATE_TABLE + " where state_key = ? or state_key = ?")) {
      delete.setString(1, target.stateKey());
      delete.setString(2, target.stateRow());
      delete.executeUpdate();
    }
  }

  private static List<String> keyColumns(WriteTarget target) {
    return target.primaryKey().stream().map(List::getFirst).collect(Collectors.toList());
  }

  private static String stagingTable(String namespace, WriteTarget target) {
    return Sql.qualified(
        namespace, "_trb_overwrite_" + hash(target.stateKey() + "/" + target.name()));
  }

  /**
   * Columns whose type changed at the source follow it; existing values are converted by
   * PostgreSQL's casts.
   */
  private static void retype(Connection connection, String table, WriteTarget target)
      throws SQLException {
    for (Field field : target.fields()) {
      if (!target.retype().contains(field.name())) {
        continue;
      }
      try (var current =
          connection.prepareStatement(
              "select atttypid = cast(? as regtype) from pg_attribute "
                  + "where attrelid = cast(? as regclass) and attname = ? and not attisdropped")) {
        current.setString(1, sqlType(field));
        current.setString(2, table);
        current.setString(3, field.name());
        try (var rs = current.executeQuery()) {
          if (!rs.next() || rs.getBoolean(1)) {
            continue; // converted already, by an earlier attempt
          }
        }
      }
      String column = quote(field.name());
      try (Statement alter = connection.createStatement()) {
        alter.execute(
            "alter table "
                + table
                + " alter column "
                + column
                + " type "
                + sqlType(field)
                + " using "
                + column
                + "::"
                + sqlType(field));
      } catch (SQLException e) {
        throw ConnectorException.config(
            "Column '"
                + field.name()
                + "' changed type at the source, and the values already in "
                + "the destination do not convert to "
                + sqlType(field)
                + " ("
                + e.getMessage().lines().findFirst().orElse("")
                + "): refresh the stream to rewrite it");
      }
    }
  }

  /**
   * Whether every column has the type this writer would create for its field, so binary COPY can
   * fill it; a table whose columns were changed by hand gets text, which the server converts to
   * whatever they are now.
   */
  private static boolean hasCreatedTypes(Connection connection, String table, List<Field> fields)
      throws SQLException {
    try (var matching =
        connection.prepareStatement(
            """
        select count(*) from unnest(cast(? as text[]), cast(? as text[])) as f(name, type)
        join pg_attribute a on a.attrelid = cast(? as regclass) and a.attname = f.name and a.attnum > 0 and not a.attisdropped
        where a.atttypid = cast(f.type as regtype)""")) {
      matching.setArray(
          1, connection.createArrayOf("text", fields.stream().map(Field::name).toArray()));
      matching.setArray(
          2,
          connection.createArrayOf("text", fields.stream().map(PostgresWriter::sqlType).toArray()));
      matching.setString(3, table);
      try (var rs = matching.executeQuery()) {
        return rs.next() && rs.getInt(1) == fields.size();
      }
    }
  }

  static String sqlType(Field field) {
    return switch (field.type()) {
      case STRING -> "text";
      case INTEGER -> "bigint";
      case NUMBER -> "numeric";
      case BOOLEAN -> "boolean";
      case DATE -> "date";
      case TIME_WITHOUT_TIMEZONE -> "time";
      case TIME_WITH_TIMEZONE -> "timetz";
      case TIMESTAMP_WITHOUT_TIMEZONE -> "timestamp";
      case TIMESTAMP_WITH_TIMEZONE -> "timestamptz";
      case BINARY -> "bytea";
      case JSON, ARRAY -> "jsonb";
    };
  }

  /**
   * A short stable name part, so generated names stay under PostgreSQL's 63-byte identifier limit.
   */
  private static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
