package io.tributary.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.RowFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which columns a source passes through as COPY tuples, and the casts it makes for them. */
class PostgresCopyReaderTest {

  private static final List<PostgresColumn> COLUMNS =
      List.of(
          new PostgresColumn("id", "int8", "bigint"),
          new PostgresColumn("n", "int4", "integer"),
          new PostgresColumn("ratio", "float8", "double precision"),
          new PostgresColumn("email", "varchar", "character varying(120)"),
          new PostgresColumn("doc", "json", "json"),
          new PostgresColumn("at", "timestamptz", "timestamp with time zone"));

  private static final RowFormat DESTINATION =
      new RowFormat(
          RowFormat.POSTGRES_BINARY_COPY,
          List.of("bigint", "bigint", "numeric", "text", "jsonb", "timestamptz"));

  @Test
  void castsWhatTheDestinationStoresDifferently() {
    assertThat(PostgresCopyReader.selectList(COLUMNS, DESTINATION, 15))
        .isEqualTo(
            "\"id\", cast(\"n\" as bigint), cast(cast(\"ratio\" as text) as numeric),"
                + " cast(\"email\" as text), cast(\"doc\" as jsonb), \"at\"");
  }

  @Test
  void aColumnWithoutAnExactCastKeepsTheStreamOnValues() {
    List<PostgresColumn> padded =
        List.of(
            new PostgresColumn("id", "int8", "bigint"),
            new PostgresColumn("code", "bpchar", "character(5)"));
    assertThat(
            PostgresCopyReader.selectList(
                padded,
                new RowFormat(RowFormat.POSTGRES_BINARY_COPY, List.of("bigint", "text")),
                15))
        .as("a cast to text would drop char(n)'s padding")
        .isNull();
    List<PostgresColumn> interval = List.of(new PostgresColumn("span", "interval", "interval"));
    assertThat(
            PostgresCopyReader.selectList(
                interval, new RowFormat(RowFormat.POSTGRES_BINARY_COPY, List.of("text")), 15))
        .isNull();
  }

  @Test
  void oldServersOtherFormatsAndMismatchedFieldsKeepValues() {
    assertThat(PostgresCopyReader.selectList(COLUMNS, DESTINATION, 13))
        .as("a float's infinity has no numeric before 14")
        .isNull();
    RowFormat integers = new RowFormat(RowFormat.POSTGRES_BINARY_COPY, List.of("bigint", "bigint"));
    assertThat(PostgresCopyReader.selectList(COLUMNS.subList(0, 2), integers, 10)).isNotNull();
    assertThat(PostgresCopyReader.selectList(COLUMNS.subList(0, 2), integers, 9))
        .as("timestamps may be floats before 10")
        .isNull();
    assertThat(
            PostgresCopyReader.selectList(
                COLUMNS, new RowFormat("parquet", DESTINATION.columnTypes()), 15))
        .isNull();
    assertThat(PostgresCopyReader.selectList(COLUMNS.subList(0, 2), DESTINATION, 15)).isNull();
    assertThat(PostgresCopyReader.selectList(COLUMNS, null, 15)).isNull();
  }
}
