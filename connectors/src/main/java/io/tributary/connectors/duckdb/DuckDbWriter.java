package io.tributary.connectors.duckdb;

import static io.tributary.connectors.jdbc.Sql.quote;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.files.DuckDbValues;
import io.tributary.connectors.jdbc.JdbcConnections;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.RecordBatch;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one stream into DuckDB through its appender, one transaction per commit: append into the
 * final table, overwrite into a staging table swapped in at completion, append_dedup into a
 * temporary table merged on the key.
 */
final class DuckDbWriter implements StreamWriter {

  static final String EXTRACTED_AT = "_airbyte_extracted_at";
  private static final String STATE_TABLE = "\"_tributary\".\"stream_state\"";
  private static final String SEQUENCE = "_tributary_seq";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final Connection connection;
  private final WriteTarget target;
  private final String schema;
  private final String finalTable;
  private final String stageName;
  private final String publishTable;
  private final OffsetDateTime extractedAt =
      OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  private DuckDBAppender appender;
  private long sequence;

  private DuckDbWriter(
      Path file,
      Connection connection,
      WriteTarget target,
      String schema,
      String stageName,
      String publishTable) {
    this.file = file;
    this.connection = connection;
    this.target = target;
    this.schema = schema;
    this.finalTable = Sql.qualified(schema, target.name());
    this.stageName = stageName;
    this.publishTable = publishTable;
  }

  static DuckDbWriter open(Path file, String defaultSchema, WriteTarget target) {
    Connection connection = DuckDbFiles.connect(file);
    try {
      String schema =
          target.namespace() == null || target.namespace().isBlank()
              ? defaultSchema
              : target.namespace();
      String finalTable = Sql.qualified(schema, target.name());
      List<Field> columns = new ArrayList<>(target.fields());
      columns.add(new Field(EXTRACTED_AT, FieldType.TIMESTAMP_WITH_TIMEZONE));
      // Records are appended to a scratch table outside any transaction and published from it in
      // one transaction
      // per commit: the appender's own flushes then never decide what is committed.
      String stageName = "stage_" + Integer.toHexString(target.stateKey().hashCode());
      String publishTable = finalTable;
      synchronized (DuckDbFiles.catalogLock(file)) {
        try (Statement ddl = connection.createStatement()) {
          ddl.execute("create schema if not exists \"_tributary\"");
          ddl.execute(
              "create table if not exists "
                  + STATE_TABLE
                  + " (state_key varchar primary key, state varchar, committed_at timestamptz)");
          // a state row says how far one table is (see PostgresWriter); older rows name none
          boolean named;
          try (var column =
              ddl.executeQuery(
                  "select 1 from information_schema.columns where table_schema = '_tributary'"
                      + " and table_name = 'stream_state' and column_name = 'table_name'")) {
            named = column.next();
          }
          if (!named) {
            ddl.execute(
                "alter table " + STATE_TABLE + " add column if not exists table_name varchar");
          }
          ddl.execute("create schema if not exists " + quote(schema));
          // an overwritten table appears only whole, at the swap: until then readers see the
          // previous
          // one, or none
          if (target.mode() == DestinationSyncMode.OVERWRITE) {
            publishTable = Sql.qualified(schema, overwriteName(target));
          }
          Sql.createOrWiden(ddl, publishTable, columns, DuckDbValues::sqlType);
          for (Field field : target.fields()) {
            String publishName =
                target.mode() == DestinationSyncMode.OVERWRITE
                    ? overwriteName(target)
                    : target.name();
            if (target.retype().contains(field.name())
                && !hasType(connection, schema, publishName, field)) {
              retype(ddl, publishTable, field);
            }
          }
          if (target.mode() == DestinationSyncMode.APPEND_DEDUP) {
            keepLatestOfEachKey(ddl, finalTable, target);
          }
          ddl.execute(
              "create or replace table \"_tributary\"."
                  + quote(stageName)
                  + " as select *, 0::bigint as "
                  + SEQUENCE
                  + " from "
                  + publishTable
                  + " limit 0");
        }
      }
      connection.setAutoCommit(false);
      DuckDbWriter writer =
          new DuckDbWriter(file, connection, target, schema, stageName, publishTable);
      if (target.mode() == DestinationSyncMode.OVERWRITE && writer.committedState() == null) {
        try (Statement reset = connection.createStatement()) {
          reset.execute("delete from " + publishTable);
        }
        connection.commit();
      }
      return writer;
    } catch (SQLException e) {
      DuckDbFiles.release(file, connection);
      throw ConnectorException.system("DuckDB: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      DuckDbFiles.release(file, connection);
      throw e;
    }
  }

  /**
   * Whether the column already has the type this writer gives the field (an earlier attempt
   * converted it).
   */
  private static boolean hasType(Connection connection, String schema, String table, Field field)
      throws SQLException {
    try (var type =
        connection.prepareStatement(
            "select data_type from information_schema.columns where table_schema = ? and table_name = ? and column_name = ?")) {
      type.setString(1, schema);
      type.setString(2, table);
      type.setString(3, field.name());
      try (var rs = type.executeQuery()) {
        return rs.next() && rs.getString(1).equalsIgnoreCase(DuckDbValues.sqlType(field));
      }
    }
  }

  /**
   * A column whose type changed at the source follows it; existing values are converted by DuckDB's
   * casts.
   */
  private static void retype(Statement ddl, String table, Field field) {
    String type = DuckDbValues.sqlType(field);
    try {
      ddl.execute(
          "alter table "
              + table
              + " alter column "
              + quote(field.name())
              + " set data type "
              + type
              + " using "
              + quote(field.name())
              + "::"
              + type);
    } catch (SQLException e) {
      throw ConnectorException.config(
          "Column '"
              + field.name()
              + "' changed type at the source, and the values already in "
              + "the destination do not convert to "
              + type
              + " ("
              + e.getMessage().lines().findFirst().orElse("")
              + "): refresh the stream to rewrite it");
    }
  }

  @Override
  public JsonNode committedState() {
    try (var select =
        connection.prepareStatement(
            "select state from "
                + STATE_TABLE
                + " where state_key = ? and (table_name is null or table_name = ?)")) {
      select.setString(1, target.stateRow());
      select.setString(2, finalTable);
      try (var rs = select.executeQuery()) {
        return rs.next() && rs.getString(1) != null ? JSON.readTree(rs.getString(1)) : null;
      }
    } catch (SQLException e) {
      throw ConnectorException.system("DuckDB: " + e.getMessage(), e);
    }
  }

  @Override
  public void write(RecordBatch batch) {
    try {
      if (appender == null) {
        appender = ((DuckDBConnection) connection).createAppender("_tributary", stageName);
      }
      for (Object[] record : batch.records()) {
        appender.beginRow();
        for (int i = 0; i < target.fields().size(); i++) {
          DuckDbValues.append(appender, target.fields().get(i), record[i]);
        }
        appender.append(extractedAt);
        appender.append(++sequence);
        appender.endRow();
      }
    } catch (SQLException e) {
      throw ConnectorException.system("DuckDB: " + e.getMessage(), e);
    }
  }

  @Override
  public void commit(JsonNode state) {
    try {
      if (appender != null) {
        appender.close();
        appender = null;
      }
      try (Statement statement = connection.createStatement()) {
        if (target.mode() == DestinationSyncMode.APPEND_DEDUP) {
          merge(statement);
        } else {
          List<String> columns = columnNames();
          statement.execute(
              "insert into "
                  + publishTable
                  + " ("
                  + Sql.columns(columns)
                  + ") select "
                  + Sql.columns(columns)
                  + " from "
                  + stage()
                  + " order by "
                  + SEQUENCE);
        }
        statement.execute("delete from " + stage());
      }
      try (var upsert =
          connection.prepareStatement(
              "insert or replace into "
                  + STATE_TABLE
                  + " (state_key, state, committed_at, table_name) values (?, ?, now(), ?)")) {
        upsert.setString(1, target.stateRow());
        upsert.setString(2, state == null ? null : state.toString());
        upsert.setString(3, finalTable);
        upsert.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      JdbcConnections.rollbackQuietly(connection);
      throw ConnectorException.system("DuckDB: " + e.getMessage(), e);
    }
  }

  @Override
  public void complete() {
    if (target.mode() != DestinationSyncMode.OVERWRITE) {
      return;
    }
    synchronized (DuckDbFiles.catalogLock(file)) {
      swap();
    }
  }

  private void swap() {
    try (Statement swap = connection.createStatement()) {
      swap.execute("drop table if exists " + finalTable);
      swap.execute("alter table " + publishTable + " rename to " + quote(target.name()));
      // the table is new, so no progress of either mode holds for it
      try (var delete =
          connection.prepareStatement(
              "delete from " + STATE_TABLE + " where state_key = ? or state_key = ?")) {
        delete.setString(1, target.stateKey());
        delete.setString(2, target.stateRow());
        delete.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      JdbcConnections.rollbackQuietly(connection);
      throw ConnectorException.system("DuckDB: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (appender != null) {
      try {
        appender.close();
      } catch (SQLException ignored) {
        // rolled back below
      }
    }
    JdbcConnections.rollbackQuietly(connection);
    DuckDbFiles.release(file, connection);
  }

  /**
   * The newest version of each key replaces the stored one unless the stored one has a later
   * cursor.
   */
  /**
   * Deletes all but the latest version of each key (by cursor, then extraction time, then the order
   * rows were written) when the table holds several: rows appended before the stream was
   * deduplicated. Merges keep keys single afterwards, so this finds none but once.
   */
  private static void keepLatestOfEachKey(Statement ddl, String table, WriteTarget target)
      throws SQLException {
    List<String> keys = target.primaryKey().stream().map(List::getFirst).toList();
    String keyed =
        " from "
            + table
            + " where "
            + keys.stream()
                .map(k -> quote(k) + " is not null")
                .collect(Collectors.joining(" and "));
    try (var repeated =
        ddl.executeQuery(
            "select 1"
                + keyed
                + " group by "
                + Sql.columns(keys)
                + " having count(*) > 1 limit 1")) {
      if (!repeated.next()) {
        return;
      }
    }
    String latestFirst =
        (target.cursorField().isEmpty()
                ? ""
                : quote(target.cursorField().getFirst()) + " desc nulls last, ")
            + quote(EXTRACTED_AT)
            + " desc nulls last, rowid desc";
    ddl.execute(
        "delete from "
            + table
            + " where rowid in (select row_id from (select rowid as row_id, row_number() over"
            + " (partition by "
            + Sql.columns(keys)
            + " order by "
            + latestFirst
            + ") as version"
            + keyed
            + ") where version > 1)");
  }

  private void merge(Statement statement) throws SQLException {
    String stage = stage();
    List<String> keys = target.primaryKey().stream().map(List::getFirst).toList();
    List<String> columns = columnNames();
    String cursor = target.cursorField().isEmpty() ? null : quote(target.cursorField().getFirst());
    String latest =
        "(select distinct on ("
            + Sql.columns(keys)
            + ") * from "
            + stage
            + " order by "
            + Sql.columns(keys)
            + (cursor == null ? "" : ", " + cursor + " desc nulls last")
            + ", "
            + SEQUENCE
            + " desc)";
    String sameKey =
        keys.stream()
            .map(k -> "f." + quote(k) + " is not distinct from s." + quote(k))
            .collect(Collectors.joining(" and "));
    String newer =
        cursor == null
            ? ""
            : " and (f." + cursor + " is null or s." + cursor + " >= f." + cursor + ")";
    statement.execute(
        "delete from " + finalTable + " f using " + latest + " s where " + sameKey + newer);
    statement.execute(
        "insert into "
            + finalTable
            + " ("
            + Sql.columns(columns)
            + ") select "
            + Sql.columns(columns)
            + " from "
            + latest
            + " s where not exists (select 1 from "
            + finalTable
            + " f where "
            + sameKey
            + ")");
  }

  private String stage() {
    return "\"_tributary\"." + quote(stageName);
  }

  private List<String> columnNames() {
    List<String> columns = new ArrayList<>(target.fields().stream().map(Field::name).toList());
    columns.add(EXTRACTED_AT);
    return columns;
  }

  private static String overwriteName(WriteTarget target) {
    return "_trb_overwrite_"
        + Integer.toHexString(target.stateKey().hashCode())
        + "_"
        + target.name();
  }
}
