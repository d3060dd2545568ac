package io.tributary.connectors.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fresh databases on the MariaDB at 127.0.0.1:3306 (root, empty password), which .ci/run provides.
 */
public final class TestMariadb {

  private static final String HOST =
      System.getenv().getOrDefault("TRIBUTARY_TEST_MARIADB_HOST", "127.0.0.1");
  private static final int PORT =
      Integer.parseInt(System.getenv().getOrDefault("TRIBUTARY_TEST_MARIADB_PORT", "3306"));

  private TestMariadb() {}

  public static ObjectNode newDatabase() {
    String name = "trb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c =
        DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + PORT + "/", "root", "")) {
      c.createStatement()
          .execute("create database " + name + " character set utf8mb4 collate utf8mb4_bin");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "MariaDB must be running on " + HOST + ":" + PORT + " (root, no password)", e);
    }
    TestDatabases.atExit(
        "jdbc:mariadb://" + HOST + ":" + PORT + "/", "root", "drop database if exists " + name);
    return TestDatabases.config(HOST, PORT, name, "root", "preferred");
  }

  public static Connection connect(ObjectNode config) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://" + HOST + ":" + PORT + "/" + config.get("database").asString(),
        "root",
        "");
  }

  /** Runs {@code statements}, in order, on the database of {@code config}. */
  public static void execute(ObjectNode config, String... statements) throws SQLException {
    try (Connection c = connect(config);
        var s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
