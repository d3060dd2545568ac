package io.tributary.connectors.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** What the test database servers have in common: cleaning up, and the connector configuration. */
final class TestDatabases {

  private TestDatabases() {}

  /** Runs {@code sql} on the server at {@code url} as the JVM exits, if the server is still up. */
  static void atExit(String url, String user, String sql) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try (Connection c = DriverManager.getConnection(url, user, "")) {
                    c.createStatement().execute(sql);
                  } catch (SQLException ignored) {
                    // going away with the JVM
                  }
                }));
  }

  /** An Airbyte-style configuration of {@code database}, for a user with no password. */
  static ObjectNode config(String host, int port, String database, String user, String sslMode) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config
        .put("host", host)
        .put("port", port)
        .put("database", database)
        .put("username", user)
        .put("password", "");
    config.putObject("ssl_mode").put("mode", sslMode);
    return config;
  }
}
