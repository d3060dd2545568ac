package io.tributary.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.Pipe;
import io.tributary.connectors.testing.ParallelSettings;
import io.tributary.connectors.testing.TableDdl;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.SyncMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

/** PostgreSQL to PostgreSQL through the real connectors, compared by query on both sides. */
class PostgresToPostgresTest {

  private final PostgresSource source = new PostgresSource(TestEgress.LOCAL);
  private final PostgresDestination destination = new PostgresDestination(TestEgress.LOCAL);

  /** Each column, and the SQL that renders it comparably in the source and in the destination. */
  private static final Map<String, String[]> COLUMNS = new java.util.LinkedHashMap<>();

  static {
    COLUMNS.put("c_int2", new String[] {"int2", "c_int2::text", "c_int2::text"});
    COLUMNS.put("c_int4", new String[] {"int4", "c_int4::text", "c_int4::text"});
    COLUMNS.put("c_int8", new String[] {"int8", "c_int8::text", "c_int8::text"});
    COLUMNS.put("c_numeric", new String[] {"numeric(38,10)", "c_numeric::text", "c_numeric::text"});
    COLUMNS.put("c_real", new String[] {"real", "c_real::numeric::text", "c_real::text"});
    COLUMNS.put(
        "c_double", new String[] {"double precision", "c_double::text", "c_double::float8::text"});
    COLUMNS.put("c_bool", new String[] {"boolean", "c_bool::text", "c_bool::text"});
    COLUMNS.put(
        "c_text",
        new String[] {"text", "md5(c_text) || length(c_text)", "md5(c_text) || length(c_text)"});
    COLUMNS.put("c_varchar", new String[] {"varchar(40)", "c_varchar::text", "c_varchar"});
    // char(n) values carry their padding; a cast to text would drop it.
    COLUMNS.put("c_char", new String[] {"char(5)", "rpad(c_char::text, 5)", "c_char"});
    COLUMNS.put("c_uuid", new String[] {"uuid", "c_uuid::text", "c_uuid"});
    COLUMNS.put("c_date", new String[] {"date", "c_date::text", "c_date::text"});
    COLUMNS.put("c_time", new String[] {"time", "c_time::text", "c_time::text"});
    COLUMNS.put("c_timetz", new String[] {"timetz", "c_timetz::text", "c_timetz::text"});
    COLUMNS.put(
        "c_timestamp", new String[] {"timestamp", "c_timestamp::text", "c_timestamp::text"});
    COLUMNS.put(
        "c_timestamptz",
        new String[] {"timestamptz", "c_timestamptz::text", "c_timestamptz::text"});
    COLUMNS.put("c_interval", new String[] {"interval", "c_interval::text", "c_interval"});
    COLUMNS.put("c_json", new String[] {"json", "c_json::jsonb::text", "c_json::text"});
    COLUMNS.put("c_jsonb", new String[] {"jsonb", "c_jsonb::text", "c_jsonb::text"});
    COLUMNS.put(
        "c_int_array",
        new String[] {"int4[]", "array_to_json(c_int_array)::jsonb::text", "c_int_array::text"});
    COLUMNS.put(
        "c_text_array",
        new String[] {"text[]", "array_to_json(c_text_array)::jsonb::text", "c_text_array::text"});
    COLUMNS.put(
        "c_bytea", new String[] {"bytea", "encode(c_bytea, 'hex')", "encode(c_bytea, 'hex')"});
  }

  /**
   * Through the fast paths too: with parallel copy from the first row, the six rows are read as
   * three key ranges under one snapshot and, for an overwrite, written by parallel copies.
   */
  @ParameterizedTest(name = "{0}, parallel {1}")
  @CsvSource({"APPEND, false", "APPEND, true", "OVERWRITE, true"})
  void everyCommonTypeArrivesWithEqualValues(DestinationSyncMode mode, boolean parallel)
      throws Exception {
    if (parallel) {
      ParallelSettings.set(3, 0);
    }
    try {
      everyCommonType(mode);
    } finally {
      ParallelSettings.clear();
    }
  }

  private void everyCommonType(DestinationSyncMode mode) throws Exception {
    ObjectNode from = TestPostgres.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        TableDdl.createTable("every_type", COLUMNS),
        """
          insert into every_type values
          (1, -32768, 2147483647, 9223372036854775807, 1234567890123456789012345678.0123456789, 0.1, 0.30000000000000004,
           true, 'plain', 'Ünïcødé ✓ 日本語', 'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '23:59:59.999999',
           '10:15:00+05:30', '1999-12-31 23:59:59.123456', '2024-06-01 12:00:00.654321+02', '1 year 2 mons 3 days 04:05:06.789',
           '{"b": 1, "a": [true, null, 2.50]}', '{"nested": {"é": "\\t\\n"}}', '{1,2,3}', '{"x","y, z","\\"q\\""}',
           '\\x00ff10'),
          (2, 0, -1, -9223372036854775808, -0.0000000001, 3.4e38, -1.7976931348623157e308, false, repeat('é', 500000),
           '', '     ', '00000000-0000-0000-0000-000000000000', '0001-01-01', '00:00:00', '00:00:00-12', '1970-01-01 00:00:00',
           '1970-01-01 00:00:00+00', '-3 days', '[]', '{}', '{}', '{}', '\\x'),
          (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
           null, null, null)""",
        // COPY's escapes, four-byte UTF-8 and dates outside 1..9999 (written by hand by the COPY
        // encoder)
        """
          insert into every_type (id, c_text, c_date, c_timestamp, c_timestamptz) values
          (4, E'tab\\there \\\\ back\\nline\\r 😀 ✓ é', '10000-01-01', '0044-03-15 12:30:00.5 BC', '12345-06-07 08:09:10.000001+00'),
          (5, E'\\\\N', '0001-12-31 BC', '9999-12-31 23:59:59.999999', '0001-01-01 00:00:00+00 BC')""",
        """
          insert into every_type (id, c_numeric, c_real, c_double, c_date, c_time, c_timetz, c_timestamp, c_timestamptz) values
          (6, 'NaN', '-Infinity', 'Infinity', 'infinity', '24:00:00', '12:00:00.000001+15:30', '-infinity', 'infinity')""");
    AirbyteStream stream = source.discover(from).stream("every_type").orElseThrow();
    var configured = Pipe.fullRefresh(stream, mode);
    WriteTarget target = Pipe.target(configured, "copied", "test/every_type");
    Pipe.run(source, from, configured, destination, to, target, 1, -1);

    for (var column : COLUMNS.entrySet()) {
      List<String> expected = column(from, "public.every_type", column.getValue()[1]);
      List<String> actual = column(to, "copied.every_type", column.getValue()[2]);
      assertThat(actual).as(column.getKey()).containsExactlyElementsOf(expected);
    }
  }

  /**
   * The columns whose binary COPY tuples pass through from source to destination, and the SQL that
   * renders them comparably; a double's digits are compared as a double (the value path writes 1.0
   * where the pass-through writes 1).
   */
  private static final Map<String, String[]> PASSED_THROUGH = new java.util.LinkedHashMap<>();

  static {
    for (String name :
        List.of(
            "c_int2",
            "c_int4",
            "c_int8",
            "c_numeric",
            "c_bool",
            "c_varchar",
            "c_uuid",
            "c_date",
            "c_time",
            "c_timetz",
            "c_timestamp",
            "c_timestamptz",
            "c_json",
            "c_jsonb")) {
      PASSED_THROUGH.put(name, COLUMNS.get(name));
    }
    PASSED_THROUGH.put("c_real", new String[] {"real", null, "c_real::float8::text"});
    PASSED_THROUGH.put(
        "c_double", new String[] {"double precision", null, "c_double::float8::text"});
    PASSED_THROUGH.put("c_text", COLUMNS.get("c_text"));
    PASSED_THROUGH.put("c_bytea", COLUMNS.get("c_bytea"));
  }

  /**
   * An overwrite whose every column the destination stores as the source's bytes (or as a cast the
   * source makes exactly) passes COPY tuples through undecoded, sequentially and as parallel key
   * ranges, and lands the same values as the value path, extraction time included.
   */
  @ParameterizedTest(name = "parallel {0}")
  @CsvSource({"false", "true"})
  void passedThroughTuplesLandAsTheValuePathWritesThem(boolean parallel) throws Exception {
    ObjectNode from = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        TableDdl.createTable("passed", PASSED_THROUGH),
        """
          insert into passed (id, c_int2, c_int4, c_int8, c_numeric, c_bool, c_varchar, c_uuid, c_date, c_time, c_timetz,
            c_timestamp, c_timestamptz, c_json, c_jsonb, c_real, c_double, c_text, c_bytea) values
          (1, -32768, 2147483647, 9223372036854775807, 1234567890123456789012345678.0123456789, true, 'Ünïcødé ✓',
           'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-02-29', '23:59:59.999999', '10:15:00+05:30', '1999-12-31 23:59:59.123456',
           '2024-06-01 12:00:00.654321+02', '{"b": 1, "a": [true, null, 2.50]}', '{"nested": {"é": "\\t\\n"}}',
           0.1, 0.30000000000000004, E'tab\\there \\\\ back\\nline 😀', '\\x00ff10'),
          (2, 0, -1, -9223372036854775808, -0.0000000001, false, '', '00000000-0000-0000-0000-000000000000', '0001-12-31 BC', '00:00:00', '00:00:00-12',
           '0044-03-15 12:30:00.5 BC', '12345-06-07 08:09:10.000001+00', '[]', '{}', 3.4e38,
           -1.7976931348623157e308, repeat('é', 500000), '\\x'),
          (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
          (4, 1, 1, 1, 'NaN', true, 'x', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'infinity', '24:00:00', '12:00:00.000001+15:30', '-infinity', 'infinity',
           'null', '"s"', '-Infinity', 'Infinity', '\\N', '\\x01'),
          (5, 2, 2, 2, 1.50, true, 'y', null, '2000-01-01', '12:00', '12:00+00', '2000-01-01', '2000-01-01+00',
           '1', '2.50', -0.0, 1.0, 'z', '\\x02')""",
        "insert into passed (id, c_int4, c_text) select n, n, 'row ' || n from generate_series(6, 3000) n");
    AirbyteStream stream = source.discover(from).stream("passed").orElseThrow();
    var configured = Pipe.fullRefresh(stream, DestinationSyncMode.OVERWRITE);
    WriteTarget target = Pipe.target(configured, "copied", "test/passed");

    ObjectNode values = TestPostgres.newDatabase();
    List<String> valuePath = new ArrayList<>();
    System.setProperty("tributary.copy.pass-through", "false");
    try {
      Pipe.run(source, from, configured, destination, values, target, 1, -1, valuePath::add);
    } finally {
      System.clearProperty("tributary.copy.pass-through");
    }
    ObjectNode tuples = TestPostgres.newDatabase();
    List<String> heard = new ArrayList<>();
    if (parallel) {
      ParallelSettings.set(3, 0);
    }
    try {
      Pipe.run(source, from, configured, destination, tuples, target, 1, -1, heard::add);
    } finally {
      ParallelSettings.clear();
    }

    assertThat(valuePath).noneMatch(line -> line.contains("binary COPY tuples"));
    assertThat(heard).anyMatch(line -> line.contains("binary COPY tuples through"));
    if (parallel) {
      assertThat(heard).anyMatch(line -> line.contains("key ranges in parallel"));
    }
    assertThat(count(tuples, "select count(*) from copied.passed")).isEqualTo(3000);
    for (var column : PASSED_THROUGH.entrySet()) {
      String expression = column.getValue()[2];
      assertThat(column(tuples, "copied.passed", expression))
          .as(column.getKey())
          .containsExactlyElementsOf(column(values, "copied.passed", expression));
    }
    assertThat(
            count(
                tuples,
                "select count(*) from copied.passed where _airbyte_extracted_at is null"
                    + " or _airbyte_extracted_at < now() - interval '1 hour'"))
        .isZero();
    // the default that stamped the tuples went with the swap
    assertThat(
            count(
                tuples,
                "select count(*) from information_schema.columns where table_schema = 'copied'"
                    + " and table_name = 'passed' and column_name = '_airbyte_extracted_at'"
                    + " and column_default is null"))
        .isEqualTo(1);
  }

  @Test
  void aDestinationColumnRetypedByHandStillReceivesRows() throws Exception {
    ObjectNode from = TestPostgres.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        "create table notes (id int primary key, note text, amount numeric(8,2))",
        "insert into notes select n, 'note ' || n, n / 4.0 from generate_series(1, 100) n");
    AirbyteStream stream = source.discover(from).stream("notes").orElseThrow();
    var configured = Pipe.fullRefresh(stream, DestinationSyncMode.APPEND);
    WriteTarget target = Pipe.target(configured, "copied", "test/notes");
    Pipe.run(source, from, configured, destination, to, target, 1, -1);
    TestPostgres.execute(
        to,
        // binary COPY cannot fill these types: the next sync falls back to text, which the server
        // converts
        "alter table copied.notes alter column note type varchar(20), alter column amount type real");
    Pipe.run(source, from, configured, destination, to, target, 1, -1);
    assertThat(column(to, "copied.notes", "id || ':' || note || ':' || amount"))
        .hasSize(200)
        .contains("100:note 100:25", "7:note 7:1.75");
  }

  @Test
  void incrementalLosesNothingAtTheCursorBoundaryAndDedupLeavesOneRowPerKey() throws Exception {
    ObjectNode from = TestPostgres.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        "create table events (id int primary key, payload text, updated_at timestamptz not null)",
        "insert into events select n, 'v1', '2024-01-01'::timestamptz + (n / 10) * interval '1 minute' from generate_series(1, 700) n",
        // 300 rows share the largest cursor value.
        "insert into events select n, 'v1', '2024-02-01' from generate_series(701, 1000) n");
    AirbyteStream stream = source.discover(from).stream("events").orElseThrow();
    var configured =
        new ConfiguredAirbyteStream(
            stream,
            SyncMode.INCREMENTAL,
            DestinationSyncMode.APPEND_DEDUP,
            List.of("updated_at"),
            List.of(List.of("id")));
    WriteTarget target = Pipe.target(configured, "inc", "test/events");
    ObjectNode smallBatches = from.deepCopy();

    // A crash after a few committed batches: the next run resumes from the committed cursor.
    Pipe.run(source, smallBatches, configured, destination, to, target, 2, 9);
    Pipe.run(source, smallBatches, configured, destination, to, target, 2, -1);
    assertThat(count(to, "select count(*) from inc.events")).isEqualTo(1000);

    TestPostgres.execute(
        from,
        "insert into events select n, 'late', '2024-02-01' from generate_series(1001, 1100) n",
        "update events set payload = 'v2', updated_at = '2024-03-01' where id <= 50");
    Pipe.run(source, smallBatches, configured, destination, to, target, 2, -1);
    assertThat(count(to, "select count(*) from inc.events")).isEqualTo(1100);
    assertThat(count(to, "select count(distinct id) from inc.events")).isEqualTo(1100);
    assertThat(count(to, "select count(*) from inc.events where payload = 'v2'")).isEqualTo(50);
  }

  @Test
  void hostileAndUnicodeNamesSyncIntact() throws Exception {
    ObjectNode from = TestPostgres.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    String table = "Robert'); DROP TABLE students;--";
    TestPostgres.execute(
        from,
        "create table students (id int)",
        "create schema \"Mixed Case \"\"Schema\"\"\"",
        "create table \"Mixed Case \"\"Schema\"\"\".\""
            + table.replace("\"", "\"\"")
            + "\" (\"Id\" int primary key, \"名前\" text, \"has space\" text, \"quote\"\"d\" text)",
        "insert into \"Mixed Case \"\"Schema\"\"\".\""
            + table
            + "\" values (1, 'テスト', 'a b', 'q'), (2, null, '', '\"')");
    AirbyteStream stream = source.discover(from).stream(table).orElseThrow();
    assertThat(stream.namespace()).isEqualTo("Mixed Case \"Schema\"");
    var configured = Pipe.fullRefresh(stream, DestinationSyncMode.OVERWRITE);
    WriteTarget target = Pipe.target(configured, "Ziel ✓ \"ns\"", "test/" + table);
    Pipe.run(source, from, configured, destination, to, target, 1, -1);

    assertThat(count(to, "select count(*) from \"Ziel ✓ \"\"ns\"\"\".\"" + table + "\""))
        .isEqualTo(2);
    assertThat(
            column(
                to,
                "\"Ziel ✓ \"\"ns\"\"\".\"" + table + "\"",
                "coalesce(\"名前\", 'NULL') || '|' || \"quote\"\"d\""))
        .containsExactlyInAnyOrder("テスト|q", "NULL|\"");
    assertThat(count(from, "select count(*) from students")).isZero();
  }

  private static List<String> column(ObjectNode config, String table, String expression)
      throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = TestPostgres.connect(config);
        var s = c.createStatement();
        var rs =
            s.executeQuery("select " + expression + " from " + table + " order by 1 nulls first")) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  private static long count(ObjectNode config, String sql) throws SQLException {
    try (Connection c = TestPostgres.connect(config);
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
