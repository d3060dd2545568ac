package io.tributary.connectors.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connector.Destination;
import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.TypedDestinationContract;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.connectors.testing.JdbcRows;
import io.tributary.connectors.testing.TestLocalFiles;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class DuckDbDestinationTest extends TypedDestinationContract {

  static final Path ROOT = TestLocalFiles.directory("tributary-duckdb");

  /** The streams of one sync open their writers on one new file at the same moment. */
  @org.junit.jupiter.api.Test
  void streamsOpeningOneNewFileTogetherDoNotConflictOverItsCatalog() throws Exception {
    ObjectNode config =
        TestLocalFiles.destinationPath(
            "/local/parallel-" + java.util.UUID.randomUUID() + ".duckdb");
    int streams = 6;
    var start = new java.util.concurrent.CountDownLatch(1);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(streams);
    try {
      List<java.util.concurrent.Future<?>> opened = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        WriteTarget target =
            new WriteTarget(
                "shared_schema",
                "stream_" + i,
                ALL_TYPES,
                io.tributary.protocol.DestinationSyncMode.OVERWRITE,
                List.of(),
                List.of(),
                "parallel/" + i);
        opened.add(
            pool.submit(
                () -> {
                  start.await();
                  try (var writer = destination().open(config, target)) {
                    writer.commit(JsonNodeFactory.instance.objectNode().put("done", true));
                    writer.complete();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (var future : opened) {
        future.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** duckdb_jdbc reads {@code ;key=value} after the file's path as connection options. */
  @org.junit.jupiter.api.Test
  void aPathCannotCarryDuckDbConnectionOptions() throws Exception {
    String name = "options-" + UUID.randomUUID();
    ObjectNode config =
        TestLocalFiles.destinationPath(
            "/local/" + name + ".duckdb;access_mode=READ_ONLY;enable_external_access=true");
    var status = destination().check(config);
    assertThat(status.ok()).isFalse();
    assertThat(status.message()).contains("is not a path under /local/: ';' is not allowed");
    assertThatThrownBy(() -> destination().open(config, target(DestinationSyncMode.APPEND)))
        .hasMessageContaining("';' is not allowed");
    try (var files = Files.list(ROOT)) {
      assertThat(files.map(Path::getFileName).map(Path::toString))
          .noneMatch(file -> file.startsWith(name));
    }
  }

  @Override
  protected Destination destination() {
    return new DuckDbDestination(new LocalRoot(ROOT));
  }

  @Override
  protected ObjectNode validConfig() {
    return TestLocalFiles.destinationPath("/local/warehouse.duckdb");
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    return Map.of(
        TestLocalFiles.destinationPath("/elsewhere/x.duckdb"),
        "is not a path under /local/",
        TestLocalFiles.destinationPath("/local/../x.duckdb"),
        "'..' are not allowed");
  }

  @Override
  protected Boolean present(ObjectNode config, WriteTarget target) {
    try (Connection c =
            DriverManager.getConnection("jdbc:duckdb:" + ROOT.resolve("warehouse.duckdb"));
        var exists =
            c.prepareStatement(
                "select 1 from information_schema.tables where table_schema = ? and table_name = ?")) {
      exists.setString(1, target.namespace());
      exists.setString(2, target.name());
      try (var rs = exists.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected List<Object[]> readBack(ObjectNode config, WriteTarget target) {
    if (!present(config, target)) {
      return new ArrayList<>();
    }
    try (Connection c =
            DriverManager.getConnection("jdbc:duckdb:" + ROOT.resolve("warehouse.duckdb"));
        var s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select "
                    + Sql.columns(target.fields().stream().map(Field::name).toList())
                    + " from "
                    + Sql.qualified(target.namespace(), target.name()))) {
      return JdbcRows.all(rs, target.fields(), DuckDbDestinationTest::value);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object value(ResultSet rs, int index, Field field) throws SQLException {
    if (field.type() == FieldType.TIME_WITH_TIMEZONE && rs.getObject(index) != null) {
      String text = rs.getString(index); // DuckDB prints offsets as +HH or +HH:MM
      return OffsetTime.parse(text.matches(".*[+-]\\d\\d$") ? text + ":00" : text);
    }
    return JdbcRows.value(rs, index, field);
  }
}
