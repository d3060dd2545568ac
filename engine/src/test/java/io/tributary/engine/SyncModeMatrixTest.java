package io.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.Destination;
import io.tributary.connector.Source;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.duckdb.DuckDbDestination;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.mysql.MysqlSource;
import io.tributary.connectors.postgres.PostgresDestination;
import io.tributary.connectors.postgres.PostgresSource;
import io.tributary.connectors.s3.S3Destination;
import io.tributary.connectors.s3.S3Objects;
import io.tributary.connectors.testing.ParallelSettings;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestLocalFiles;
import io.tributary.connectors.testing.TestMariadb;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.connectors.testing.TestS3;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every sync mode, from real PostgreSQL and MariaDB into real PostgreSQL, DuckDB and an
 * S3-compatible server: the destination after a first sync, and after a second one that follows an
 * insert, an update and a delete at the source.
 */
class SyncModeMatrixTest {

  /**
   * Full refreshes from PostgreSQL take the parallel paths even for these three rows: two key
   * ranges under one snapshot, and parallel copies into an overwrite's staging table.
   */
  @BeforeAll
  static void parallelCopyForTinyTables() {
    ParallelSettings.set(2, 0);
  }

  @AfterAll
  static void defaults() {
    ParallelSettings.clear();
  }

  enum Mode {
    OVERWRITE(
        SyncMode.FULL_REFRESH,
        DestinationSyncMode.OVERWRITE,
        List.of("1 one", "2 two", "3 three"),
        List.of("1 one", "2 TWO", "4 four")),
    FULL_APPEND(
        SyncMode.FULL_REFRESH,
        DestinationSyncMode.APPEND,
        List.of("1 one", "2 two", "3 three"),
        List.of("1 one", "1 one", "2 TWO", "2 two", "3 three", "4 four")),
    // the cursor is inclusive (>=): the last row of the first sync would come again, but it was
    // deleted
    INCREMENTAL_APPEND(
        SyncMode.INCREMENTAL,
        DestinationSyncMode.APPEND,
        List.of("1 one", "2 two", "3 three"),
        List.of("1 one", "2 TWO", "2 two", "3 three", "4 four")),
    // deletes are not seen by a cursor: the deleted row stays, the updated one is replaced
    INCREMENTAL_DEDUP(
        SyncMode.INCREMENTAL,
        DestinationSyncMode.APPEND_DEDUP,
        List.of("1 one", "2 two", "3 three"),
        List.of("1 one", "2 TWO", "3 three", "4 four"));

    final SyncMode read;
    final DestinationSyncMode write;
    final List<String> afterFirst;
    final List<String> afterSecond;

    Mode(
        SyncMode read,
        DestinationSyncMode write,
        List<String> afterFirst,
        List<String> afterSecond) {
      this.read = read;
      this.write = write;
      this.afterFirst = afterFirst;
      this.afterSecond = afterSecond;
    }
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (String source : List.of("postgres", "mariadb")) {
      for (String destination : List.of("postgres", "duckdb", "s3")) {
        for (Mode mode : Mode.values()) {
          if (!(destination.equals("s3")
              && mode.write
                  == DestinationSyncMode.APPEND_DEDUP)) { // files have no keys to merge on
            cases.add(Arguments.of(source, destination, mode));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} → {1}, {2}")
  @MethodSource("matrix")
  void theDestinationFollowsTheSource(String sourceKind, String destinationKind, Mode mode)
      throws Exception {
    SourceSide source = sourceKind.equals("postgres") ? postgresSource() : mariadbSource();
    DestinationSide destination =
        switch (destinationKind) {
          case "postgres" -> postgresDestination();
          case "duckdb" -> duckdbDestination();
          default -> s3Destination();
        };
    source.execute(
        "insert into items values (1, 'one', '2026-01-01 00:00:01'), (2, 'two', '2026-01-01 00:00:02'),"
            + " (3, 'three', '2026-01-01 00:00:03')");
    MemoryStateStore states = new MemoryStateStore();

    List<Field> fields = sync(source, destination, mode, states);
    assertThat(destination.rows(fields)).as("after the first sync").isEqualTo(mode.afterFirst);

    source.execute("insert into items values (4, 'four', '2026-01-01 00:00:04')");
    source.execute(
        "update items set name = 'TWO', updated_at = '2026-01-01 00:00:05' where id = 2");
    source.execute("delete from items where id = 3");
    sync(source, destination, mode, states);
    assertThat(destination.rows(fields)).as("after the second sync").isEqualTo(mode.afterSecond);
  }

  private static List<Field> sync(
      SourceSide source, DestinationSide destination, Mode mode, StateStore states) {
    AirbyteStream stream =
        source.connector().discover(source.config()).stream("items").orElseThrow();
    List<List<String>> key = List.of(List.of("id"));
    List<String> cursor = mode.read == SyncMode.INCREMENTAL ? List.of("updated_at") : List.of();
    StreamPlan plan =
        new StreamPlan(
            new ConfiguredAirbyteStream(stream, mode.read, mode.write, cursor, key),
            new WriteTarget(
                "matrix",
                "items",
                StreamSchema.fields(stream.jsonSchema()),
                mode.write,
                key,
                cursor,
                "matrix/items"));
    SyncEngine.builder()
        .source(source.connector(), source.config())
        .destination(destination.connector(), destination.config())
        .stream(plan)
        .states(states)
        .build()
        .run();
    return plan.write().fields();
  }

  /**
   * A source database under test: a new connector each time one is asked for, its configuration,
   * and how SQL runs on it.
   */
  record SourceSide(Supplier<Source> connectors, ObjectNode config, SqlRunner sql) {
    Source connector() {
      return connectors.get();
    }

    void execute(String statement) throws SQLException {
      sql.run(config, statement);
    }
  }

  @FunctionalInterface
  interface SqlRunner {
    void run(ObjectNode config, String... statements) throws SQLException;
  }

  /** A destination under test: a new connector each time one is asked for, its configuration. */
  record DestinationSide(Supplier<Destination> connectors, ObjectNode config, RowReader reader) {
    Destination connector() {
      return connectors.get();
    }

    /** "id name" of every row, sorted. */
    List<String> rows(List<Field> fields) throws SQLException {
      return reader.rows(fields);
    }
  }

  @FunctionalInterface
  interface RowReader {
    List<String> rows(List<Field> fields) throws SQLException;
  }

  private static SourceSide postgresSource() throws SQLException {
    SourceSide side =
        new SourceSide(
            () -> new PostgresSource(TestEgress.LOCAL),
            TestPostgres.newDatabase(),
            TestPostgres::execute);
    side.execute("create table items (id bigint primary key, name text, updated_at timestamp)");
    return side;
  }

  private static SourceSide mariadbSource() throws SQLException {
    SourceSide side =
        new SourceSide(
            () -> new MysqlSource(TestEgress.LOCAL),
            TestMariadb.newDatabase(),
            TestMariadb::execute);
    side.execute(
        "create table items (id bigint primary key, name varchar(20), updated_at datetime(6))");
    return side;
  }

  private static DestinationSide postgresDestination() {
    ObjectNode config = TestPostgres.newDatabase();
    return new DestinationSide(
        () -> new PostgresDestination(TestEgress.LOCAL),
        config,
        fields -> {
          try (Connection c = TestPostgres.connect(config)) {
            return readRows(c);
          }
        });
  }

  private static DestinationSide duckdbDestination() throws IOException {
    Path root = Files.createTempDirectory("tributary-matrix");
    ObjectNode config = TestLocalFiles.destinationPath("/local/w.duckdb");
    return new DestinationSide(
        () -> new DuckDbDestination(new LocalRoot(root)),
        config,
        fields -> {
          try (Connection c =
              DriverManager.getConnection("jdbc:duckdb:" + root.resolve("w.duckdb"))) {
            return readRows(c);
          }
        });
  }

  private static DestinationSide s3Destination() {
    ObjectNode config = TestS3.config("matrix-" + UUID.randomUUID(), "JSONL");
    return new DestinationSide(
        () -> new S3Destination(TestEgress.LOCAL),
        config,
        fields -> {
          List<String> names = fields.stream().map(Field::name).toList();
          int id = names.indexOf("id");
          int name = names.indexOf("name");
          List<String> rows =
              new ArrayList<>(
                  S3Objects.committedRows(config, "matrix", "items", fields).stream()
                      .map(row -> ((Number) row[id]).longValue() + " " + row[name])
                      .toList());
          rows.sort(null);
          return rows;
        });
  }

  private static List<String> readRows(Connection c) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (var s = c.createStatement();
        var rs = s.executeQuery("select id, name from matrix.items")) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + " " + rs.getString(2));
      }
    }
    rows.sort(null);
    return rows;
  }
}
