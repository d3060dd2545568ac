package io.tributary.connectors.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connector.Source;
import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.Pipe;
import io.tributary.connector.contract.SourceContract;
import io.tributary.connectors.postgres.PostgresDestination;
import io.tributary.connectors.testing.TableDdl;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestLocalFiles;
import io.tributary.connectors.testing.TestMariadb;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Against the real MariaDB on 127.0.0.1:3306; MariaDB Connector/J also speaks to MySQL. */
class MysqlSourceTest extends SourceContract {

  private static ObjectNode config;

  static synchronized ObjectNode database() throws SQLException {
    if (config == null) {
      config = TestMariadb.newDatabase();
      TestMariadb.execute(
          config,
          "create table customers (id bigint primary key, name varchar(100), updated_at datetime(6))",
          "create table invoices (id int, line int, amount decimal(10,2), primary key (id, line))",
          "insert into customers select seq, concat('c', seq), now(6) from seq_1_to_300",
          "insert into invoices select seq, 1, seq * 1.5 from seq_1_to_200");
    }
    return config;
  }

  @Override
  protected Source source() {
    return new MysqlSource(TestEgress.LOCAL);
  }

  @Override
  protected ObjectNode validConfig() {
    try {
      return database().deepCopy();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    return Map.of(
        validConfig().put("host", "no-such-host.invalid"), "unknown host",
        validConfig().put("port", 1), "connection refused",
        validConfig().put("database", "no_such_database"), "does not exist",
        validConfig().put("username", "nobody").put("password", "wrong-secret-value"),
            "authentication failed",
        validConfig().put("jdbc_url_params", "allowLocalInfile=true"), "not an allowed parameter");
  }

  @Override
  protected Set<String> expectedStreams() {
    return Set.of("customers", "invoices");
  }

  /**
   * Column → {MariaDB type, MariaDB expression, PostgreSQL expression, DuckDB expression} rendering
   * values comparably.
   */
  private static final Map<String, String[]> COLUMNS = new LinkedHashMap<>();

  private static final Map<String, String> DUCKDB = new LinkedHashMap<>();

  static {
    COLUMNS.put(
        "c_tinyint", new String[] {"tinyint", "cast(c_tinyint as char)", "c_tinyint::text"});
    COLUMNS.put(
        "c_bool",
        new String[] {
          "tinyint(1)", "if(c_bool is null, null, if(c_bool, 'true', 'false'))", "c_bool::text"
        });
    COLUMNS.put(
        "c_smallint", new String[] {"smallint", "cast(c_smallint as char)", "c_smallint::text"});
    COLUMNS.put("c_int", new String[] {"int", "cast(c_int as char)", "c_int::text"});
    COLUMNS.put("c_bigint", new String[] {"bigint", "cast(c_bigint as char)", "c_bigint::text"});
    COLUMNS.put(
        "c_ubigint",
        new String[] {"bigint unsigned", "cast(c_ubigint as char)", "c_ubigint::text"});
    COLUMNS.put(
        "c_decimal",
        new String[] {
          "decimal(38,10)", "cast(c_decimal as char)", "c_decimal::numeric(38,10)::text"
        });
    COLUMNS.put(
        "c_double", new String[] {"double", "cast(c_double as char)", "c_double::float8::text"});
    COLUMNS.put("c_varchar", new String[] {"varchar(255)", "c_varchar", "c_varchar"});
    COLUMNS.put(
        "c_text",
        new String[] {
          "longtext", "concat(md5(c_text), char_length(c_text))", "md5(c_text) || length(c_text)"
        });
    COLUMNS.put("c_date", new String[] {"date", "cast(c_date as char)", "c_date::text"});
    COLUMNS.put(
        "c_time",
        new String[] {
          "time(6)", "time_format(c_time, '%H:%i:%s.%f')", "to_char(c_time, 'HH24:MI:SS.US')"
        });
    COLUMNS.put(
        "c_datetime",
        new String[] {
          "datetime(6)",
          "date_format(c_datetime, '%Y-%m-%d %H:%i:%s.%f')",
          "to_char(c_datetime, 'YYYY-MM-DD HH24:MI:SS.US')"
        });
    COLUMNS.put(
        "c_timestamp",
        new String[] {
          "timestamp(6) null",
          "date_format(c_timestamp, '%Y-%m-%d %H:%i:%s.%f')",
          "to_char(c_timestamp at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
          "cast(round(unix_timestamp(c_timestamp) * 1000000) as char)"
        });
    COLUMNS.put("c_blob", new String[] {"blob", "lower(hex(c_blob))", "encode(c_blob, 'hex')"});
    COLUMNS.put("c_enum", new String[] {"enum('small','large')", "c_enum", "c_enum"});
    COLUMNS.put("c_json", new String[] {"json", "c_json", "c_json"});
    DUCKDB.put("c_tinyint", "c_tinyint::varchar");
    DUCKDB.put("c_bool", "c_bool::varchar");
    DUCKDB.put("c_smallint", "c_smallint::varchar");
    DUCKDB.put("c_int", "c_int::varchar");
    DUCKDB.put("c_bigint", "c_bigint::varchar");
    DUCKDB.put("c_ubigint", "c_ubigint::varchar");
    DUCKDB.put("c_decimal", "c_decimal::varchar");
    DUCKDB.put("c_double", "c_double::varchar");
    DUCKDB.put("c_varchar", "c_varchar");
    DUCKDB.put("c_text", "md5(c_text) || length(c_text)");
    DUCKDB.put("c_date", "c_date::varchar");
    DUCKDB.put("c_time", "strftime(date '2000-01-01' + c_time, '%H:%M:%S.%f')");
    DUCKDB.put("c_datetime", "strftime(c_datetime, '%Y-%m-%d %H:%M:%S.%f')");
    DUCKDB.put("c_timestamp", "epoch_us(c_timestamp)::varchar");
    DUCKDB.put("c_blob", "lower(hex(c_blob))");
    DUCKDB.put("c_enum", "c_enum");
    DUCKDB.put("c_json", "c_json");
  }

  @Test
  void commonTypesArriveInPostgresAndDuckDbWithEqualValues() throws Exception {
    ObjectNode from = TestMariadb.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    TestMariadb.execute(
        from,
        "set time_zone = '+00:00'",
        TableDdl.createTable("every_type", COLUMNS),
        """
          insert into every_type values
          (1, -128, 1, -32768, 2147483647, 9223372036854775807, 18446744073709551615, 1234567890123456789012345678.0123456789,
           0.30000000000000004, 'Ünïcødé ✓ 日本語 \\t tab', repeat('é', 300000), '2024-02-29', '23:59:59.999999',
           '1999-12-31 23:59:59.123456', '2024-06-01 10:00:00.654321', x'00ff10', 'large', '{"a": [1, 2.5, null]}'),
          (2, 0, 0, 0, 0, 0, 0, -0.0000000001, -1.5e300, '', '', '1000-01-01', '00:00:00', '1970-01-01 00:00:00',
           '1970-01-01 00:00:01', x'', 'small', '[]'),
          (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)""");
    MysqlSource source = new MysqlSource(TestEgress.LOCAL);
    AirbyteStream stream = source.discover(from).stream("every_type").orElseThrow();
    var configured = Pipe.fullRefresh(stream, DestinationSyncMode.APPEND);
    WriteTarget target = Pipe.target(configured, "from_maria", "test/maria");
    Pipe.run(
        source, from, configured, new PostgresDestination(TestEgress.LOCAL), to, target, 1, -1);

    for (var column : COLUMNS.entrySet()) {
      List<String> expected = new ArrayList<>();
      try (Connection c = TestMariadb.connect(from);
          var s = c.createStatement()) {
        s.execute("set time_zone = '+00:00'");
        try (var rs =
            s.executeQuery("select " + column.getValue()[1] + " from every_type order by id")) {
          while (rs.next()) {
            expected.add(rs.getString(1));
          }
        }
      }
      List<String> actual = new ArrayList<>();
      try (Connection c = TestPostgres.connect(to);
          var s = c.createStatement();
          var rs =
              s.executeQuery(
                  "select " + column.getValue()[2] + " from from_maria.every_type order by id")) {
        while (rs.next()) {
          actual.add(rs.getString(1));
        }
      }
      if (column.getKey().equals("c_double")) {
        // Same doubles, printed differently (1.5e300 / 1.5e+300): compare the values.
        expected.replaceAll(v -> v == null ? null : Double.toString(Double.parseDouble(v)));
        actual.replaceAll(v -> v == null ? null : Double.toString(Double.parseDouble(v)));
      }
      assertThat(actual).as(column.getKey()).containsExactlyElementsOf(expected);
    }

    // The same table into DuckDB, compared the same way.
    java.nio.file.Path root = java.nio.file.Files.createTempDirectory("maria-duck");
    ObjectNode duck = TestLocalFiles.destinationPath("/local/maria.duckdb");
    Pipe.run(
        source,
        from,
        configured,
        new io.tributary.connectors.duckdb.DuckDbDestination(
            new io.tributary.connectors.files.LocalRoot(root)),
        duck,
        target,
        1,
        -1);
    for (var column : COLUMNS.entrySet()) {
      String mariaExpression =
          column.getValue().length > 3 ? column.getValue()[3] : column.getValue()[1];
      List<String> expected = new ArrayList<>();
      try (Connection c = TestMariadb.connect(from);
          var s = c.createStatement()) {
        s.execute("set time_zone = '+00:00'");
        try (var rs =
            s.executeQuery("select " + mariaExpression + " from every_type order by id")) {
          while (rs.next()) {
            expected.add(rs.getString(1));
          }
        }
      }
      List<String> actual = new ArrayList<>();
      try (Connection c =
              java.sql.DriverManager.getConnection("jdbc:duckdb:" + root.resolve("maria.duckdb"));
          var s = c.createStatement();
          var rs =
              s.executeQuery(
                  "select "
                      + DUCKDB.get(column.getKey())
                      + " from from_maria.every_type order by id")) {
        while (rs.next()) {
          actual.add(rs.getString(1));
        }
      }
      if (column.getKey().equals("c_double")) {
        expected.replaceAll(v -> v == null ? null : Double.toString(Double.parseDouble(v)));
        actual.replaceAll(v -> v == null ? null : Double.toString(Double.parseDouble(v)));
      }
      assertThat(actual).as("DuckDB " + column.getKey()).containsExactlyElementsOf(expected);
    }
  }

  /**
   * A legacy table's zero dates ('0000-00-00') have no value in any date type: they read as null.
   */
  @Test
  void zeroDatesReadAsNull() throws Exception {
    ObjectNode from = TestMariadb.newDatabase();
    TestMariadb.execute(
        from,
        "set session sql_mode = ''",
        "create table legacy (id int primary key, d date, dt datetime(6), ts timestamp(6) null)",
        "insert into legacy values (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00'),"
            + " (2, '2024-01-02', '2024-01-02 03:04:05.000006', '2024-01-02 03:04:05.000006')");
    assertThat(readAll(from, "legacy"))
        .containsExactly(
            "[1, null, null, null]",
            "[2, 2024-01-02, 2024-01-02T03:04:05.000006, 2024-01-02T03:04:05.000006Z]");
  }

  /**
   * A MySQL TIME is a duration (up to ±838 hours); only one within a day is a time of day. Times of
   * day read exactly, fractions included, and a duration outside a day fails the read, naming the
   * column, instead of wrapping into another time (-01:00 is not 23:00).
   */
  @Test
  void timesOutsideADayFailTheReadInsteadOfWrapping() throws Exception {
    ObjectNode from = TestMariadb.newDatabase();
    TestMariadb.execute(
        from,
        "create table clock (id int primary key, t time(6))",
        "insert into clock values (1, '00:00:00'), (2, '23:59:59.999999'), (3, '12:34:56.5'),"
            + " (4, null)");
    assertThat(readAll(from, "clock"))
        .containsExactly("[1, 00:00]", "[2, 23:59:59.999999]", "[3, 12:34:56.500]", "[4, null]");

    for (String duration : List.of("-00:00:01", "24:00:00", "25:00:00.5", "838:59:59")) {
      TestMariadb.execute(
          from,
          "delete from clock where id = 5",
          "insert into clock values (5, '" + duration + "')");
      assertThatThrownBy(() -> readAll(from, "clock"))
          .as(duration)
          .hasStackTraceContaining("Column t holds a TIME outside 00:00:00–23:59:59.999999")
          .satisfies(e -> assertThat(e.toString()).doesNotContain(duration));
    }
  }

  private static List<String> readAll(ObjectNode from, String table) throws Exception {
    MysqlSource source = new MysqlSource(TestEgress.LOCAL);
    AirbyteStream stream = source.discover(from).stream(table).orElseThrow();
    List<String> rows = new ArrayList<>();
    try (var reader =
        source.read(
            from,
            Pipe.fullRefresh(stream, DestinationSyncMode.APPEND),
            SourceContract.context(null))) {
      for (var batch = reader.next(); batch != null; batch = reader.next()) {
        batch.records().forEach(record -> rows.add(java.util.Arrays.toString(record)));
      }
    }
    return rows;
  }
}
