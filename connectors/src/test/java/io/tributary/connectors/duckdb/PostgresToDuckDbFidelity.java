package io.tributary.connectors.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connectors.testing.TableDdl;
import io.tributary.connectors.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every common PostgreSQL type into DuckDB (and, through DuckDB, into Parquet), each column queried
 * on both sides and compared.
 */
public class PostgresToDuckDbFidelity {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();
  private static final UnaryOperator<String> AS_IS = v -> v;
  private static final UnaryOperator<String> AS_DOUBLE =
      v -> v == null ? null : Double.toString(Double.parseDouble(v));
  private static final UnaryOperator<String> AS_JSON =
      v -> v == null ? null : JSON.readTree(v).toString();

  /**
   * Column → {PostgreSQL type, PostgreSQL expression, DuckDB expression}, and how both are
   * normalised.
   */
  private static final Map<String, String[]> COLUMNS = new LinkedHashMap<>();

  private static final Map<String, UnaryOperator<String>> NORMALIZE = new LinkedHashMap<>();

  private static void column(
      String name, String type, String postgres, String duckdb, UnaryOperator<String> normalize) {
    COLUMNS.put(name, new String[] {type, postgres, duckdb});
    NORMALIZE.put(name, normalize);
  }

  static {
    column("c_int2", "int2", "c_int2::text", "c_int2::varchar", AS_IS);
    column("c_int8", "int8", "c_int8::text", "c_int8::varchar", AS_IS);
    column("c_numeric", "numeric(38,10)", "c_numeric::text", "c_numeric::varchar", AS_IS);
    column("c_real", "real", "c_real::text", "c_real::varchar", AS_DOUBLE);
    column("c_double", "double precision", "c_double::text", "c_double::varchar", AS_DOUBLE);
    column("c_bool", "boolean", "c_bool::text", "c_bool::varchar", AS_IS);
    column(
        "c_text", "text", "md5(c_text) || length(c_text)", "md5(c_text) || length(c_text)", AS_IS);
    column("c_char", "char(5)", "rpad(c_char::text, 5)", "c_char", AS_IS);
    column("c_uuid", "uuid", "c_uuid::text", "c_uuid", AS_IS);
    column("c_date", "date", "c_date::text", "c_date::varchar", AS_IS);
    column("c_time", "time", "c_time::text", "c_time::varchar", AS_IS);
    column("c_timestamp", "timestamp", "c_timestamp::text", "c_timestamp::varchar", AS_IS);
    column(
        "c_timestamptz",
        "timestamptz",
        "extract(epoch from c_timestamptz)::numeric(20,6)::text",
        "(epoch_us(c_timestamptz) / 1000000.0)::decimal(20,6)::varchar",
        AS_IS);
    column("c_interval", "interval", "c_interval::text", "c_interval", AS_IS);
    column("c_jsonb", "jsonb", "c_jsonb::text", "c_jsonb::varchar", AS_JSON);
    column(
        "c_int_array",
        "int4[]",
        "array_to_json(c_int_array)::text",
        "c_int_array::varchar",
        AS_JSON);
    column("c_bytea", "bytea", "encode(c_bytea, 'hex')", "lower(hex(c_bytea))", AS_IS);
  }

  /** A PostgreSQL database holding the every_type table. */
  public static ObjectNode source() throws Exception {
    ObjectNode from = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        TableDdl.createTable("every_type", COLUMNS),
        """
          insert into every_type values
          (1, -32768, 9223372036854775807, 1234567890123456789012345678.0123456789, 0.1, 0.30000000000000004, true,
           'Ünïcødé ✓ 日本語', 'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '23:59:59.999999',
           '1999-12-31 23:59:59.123456', '2024-06-01 12:00:00.654321+02', '1 year 2 mons 3 days 04:05:06.789',
           '{"nested": {"é": "\\t\\n"}, "n": 2.50}', '{1,2,3}', '\\x00ff10'),
          (2, 0, -9223372036854775808, -0.0000000001, 3.4e38, -1.7976931348623157e308, false, repeat('x', 1000000), '',
           '00000000-0000-0000-0000-000000000000', '0001-01-01', '00:00:00', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00',
           '-3 days', '[]', '{}', '\\x'),
          (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)""");
    return from;
  }

  /**
   * Compares every column of the PostgreSQL table with {@code relation} queried through {@code
   * duckdbUrl}.
   */
  public static void assertEqualByQuery(ObjectNode from, String duckdbUrl, String relation)
      throws Exception {
    for (var column : COLUMNS.entrySet()) {
      List<String> expected = new ArrayList<>();
      try (Connection c = TestPostgres.connect(from);
          var s = c.createStatement();
          var rs =
              s.executeQuery("select " + column.getValue()[1] + " from every_type order by id")) {
        while (rs.next()) {
          expected.add(NORMALIZE.get(column.getKey()).apply(rs.getString(1)));
        }
      }
      List<String> actual = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(duckdbUrl);
          var s = c.createStatement();
          var rs =
              s.executeQuery(
                  "select " + column.getValue()[2] + " from " + relation + " order by id")) {
        while (rs.next()) {
          actual.add(NORMALIZE.get(column.getKey()).apply(rs.getString(1)));
        }
      }
      assertThat(actual).as(column.getKey()).containsExactlyElementsOf(expected);
    }
  }
}
