package io.tributary.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh, empty database for this test JVM on the PostgreSQL at 127.0.0.1:5432 (what .ci/run
 * provides), or on an embedded PostgreSQL when no server listens there. Never a mock.
 */
public final class TestDatabase {

  private static final String SERVER =
      System.getenv().getOrDefault("TRIBUTARY_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/");
  private static final String USER =
      System.getenv().getOrDefault("TRIBUTARY_TEST_POSTGRES_USER", "postgres");
  private static String shared;
  private static EmbeddedPostgres embedded;

  private TestDatabase() {}

  /** The JDBC URL of the database every Spring context of this JVM shares. */
  public static synchronized String sharedUrl() {
    if (shared == null) {
      shared = create();
    }
    return shared;
  }

  /** A new empty database, for tests that need one of their own. */
  public static synchronized String create() {
    String name =
        "tributary_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String base = serverUrl();
    try (Connection connection = DriverManager.getConnection(base + "postgres", USER, "")) {
      connection.createStatement().execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create test database " + name, e);
    }
    String url = base + name + "?user=" + USER;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(base, name)));
    return url;
  }

  /** The first column of every row {@code sql} answers in the database at {@code url}. */
  public static List<String> column(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every column of the first row {@code sql} answers in the database at {@code url}. */
  public static List<String> row(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        values.add(rs.getString(i));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String serverUrl() {
    try (Connection ignored = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
      return SERVER;
    } catch (SQLException unreachable) {
      if (embedded == null) {
        try {
          embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
          throw new UncheckedIOException(
              "No PostgreSQL at " + SERVER + " and the embedded one did not start", e);
        }
      }
      return "jdbc:postgresql://localhost:" + embedded.getPort() + "/";
    }
  }

  private static void drop(String base, String name) {
    try (Connection connection = DriverManager.getConnection(base + "postgres", USER, "")) {
      connection.createStatement().execute("drop database if exists " + name + " with (force)");
    } catch (SQLException ignored) {
      // the server is going away with the JVM
    }
  }
}
