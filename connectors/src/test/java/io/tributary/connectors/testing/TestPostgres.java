package io.tributary.connectors.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fresh databases on the PostgreSQL at 127.0.0.1:5432 (provided by .ci/run), or on an embedded
 * PostgreSQL when nothing listens there. Real servers only.
 */
public final class TestPostgres {

  private static String host = "127.0.0.1";
  private static int port = 5432;
  private static EmbeddedPostgres embedded;
  private static boolean resolved;

  private TestPostgres() {}

  /** Creates an empty database and returns an Airbyte-style connector configuration for it. */
  public static synchronized ObjectNode newDatabase() {
    resolve();
    String name = "trb_conn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "")) {
      connection.createStatement().execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    TestDatabases.atExit(
        url("postgres"), "postgres", "drop database if exists " + name + " with (force)");
    return TestDatabases.config(host, port, name, "postgres", "disable");
  }

  public static Connection connect(ObjectNode config) throws SQLException {
    return DriverManager.getConnection(url(config.get("database").asString()), "postgres", "");
  }

  private static String url(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  private static void resolve() {
    if (resolved) {
      return;
    }
    resolved = true;
    try (Connection ignored = DriverManager.getConnection(url("postgres"), "postgres", "")) {
      return;
    } catch (SQLException unreachable) {
      try {
        embedded = EmbeddedPostgres.builder().start();
        host = "localhost";
        port = embedded.getPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
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
