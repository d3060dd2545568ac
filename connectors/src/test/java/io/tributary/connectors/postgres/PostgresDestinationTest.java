package io.tributary.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.TypedDestinationContract;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.connectors.testing.JdbcRows;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PostgresDestinationTest extends TypedDestinationContract {

  private static ObjectNode config;

  static synchronized ObjectNode database() {
    if (config == null) {
      config = TestPostgres.newDatabase();
    }
    return config.deepCopy();
  }

  @Override
  protected Destination destination() {
    return new PostgresDestination(TestEgress.LOCAL);
  }

  @Override
  protected ObjectNode validConfig() {
    return database();
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    return Map.of(
        database().put("host", "no-such-host.invalid"),
        "unknown host",
        database().put("database", "no_such_db"),
        "does not exist");
  }

  @Override
  protected Boolean present(ObjectNode config, WriteTarget target) {
    try (Connection c = TestPostgres.connect(config)) {
      return exists(c, target.namespace(), target.name());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected List<Object[]> readBack(ObjectNode config, WriteTarget target) {
    return readTable(config, target.namespace(), target.name(), target.fields());
  }

  static List<Object[]> readTable(
      ObjectNode config, String namespace, String name, List<Field> fields) {
    String sql =
        "select "
            + Sql.columns(fields.stream().map(Field::name).toList())
            + " from "
            + Sql.qualified(namespace, name);
    try (Connection c = TestPostgres.connect(config);
        var s = c.createStatement()) {
      if (!exists(c, namespace, name)) {
        return new ArrayList<>();
      }
      try (ResultSet rs = s.executeQuery(sql)) {
        return JdbcRows.all(rs, fields, JdbcRows::value);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A view on an overwritten table keeps the table from being dropped, so its rows are replaced
   * instead; they go by column name when the source dropped one column and added another.
   */
  @Test
  void anOverwriteUnderAViewPutsEachValueInItsOwnColumn() throws Exception {
    ObjectNode config = TestPostgres.newDatabase();
    WriteTarget before =
        overwrite(
            List.of(
                new Field("id", FieldType.INTEGER),
                new Field("a", FieldType.STRING),
                new Field("b", FieldType.STRING),
                new Field("c", FieldType.STRING)));
    write(config, before, new Object[] {1L, "a1", "b1", "c1"});
    TestPostgres.execute(config, "create view viewed.summary as select id, a from viewed.t");

    WriteTarget after =
        overwrite(
            List.of(
                new Field("id", FieldType.INTEGER),
                new Field("a", FieldType.STRING),
                new Field("c", FieldType.STRING),
                new Field("d", FieldType.STRING)));
    write(config, after, new Object[] {2L, "a2", "c2", "d2"});

    List<Field> all =
        List.of(
            new Field("id", FieldType.INTEGER),
            new Field("a", FieldType.STRING),
            new Field("b", FieldType.STRING),
            new Field("c", FieldType.STRING),
            new Field("d", FieldType.STRING));
    assertThat(readTable(config, "viewed", "t", all))
        .containsExactly(new Object[] {2L, "a2", null, "c2", "d2"});
    try (Connection c = TestPostgres.connect(config);
        var rows = c.createStatement().executeQuery("select a from viewed.summary")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("a2");
    }
  }

  private static WriteTarget overwrite(List<Field> fields) {
    return new WriteTarget(
        "viewed", "t", fields, DestinationSyncMode.OVERWRITE, List.of(), List.of(), "viewed/t");
  }

  private void write(ObjectNode config, WriteTarget target, Object[] row) {
    try (StreamWriter writer = destination().open(config, target)) {
      writer.write(batch(List.<Object[]>of(row)));
      writer.commit(null);
      writer.complete();
    }
  }

  private static boolean exists(Connection c, String namespace, String name) throws SQLException {
    try (var s =
        c.prepareStatement("select 1 from pg_tables where schemaname = ? and tablename = ?")) {
      s.setString(1, namespace);
      s.setString(2, name);
      try (var rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }
}
