package io.tributary.connectors.jdbc;

import io.tributary.connector.ConnectorException;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.protocol.ConnectionStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Opens JDBC connections from an Airbyte-style database config (host, port, database, username,
 * password, ssl_mode, jdbc_url_params), through sockets that ask the egress policy before they
 * connect. A driver's subclass says how its driver spells timeouts, TLS and the egress socket.
 */
public abstract class JdbcConnections {

  /** How long connecting may take before it fails, so nothing hangs on an unreachable host. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final EgressPolicy egress;
  private final String scheme;
  private final int defaultPort;
  private final Set<String> allowedParameters;

  /**
   * @param scheme the URL's driver name, {@code jdbc:<scheme>://}
   * @param allowedParameters the driver options an end user may add in {@code jdbc_url_params}
   */
  protected JdbcConnections(
      EgressPolicy egress, String scheme, int defaultPort, Set<String> allowedParameters) {
    this.egress = egress;
    this.scheme = scheme;
    this.defaultPort = defaultPort;
    this.allowedParameters = allowedParameters;
  }

  public Connection open(ObjectNode config) {
    String host = DatabaseHost.parse(Config.required(config, "host"));
    int port = Config.integer(config, "port", defaultPort);
    String database = Config.required(config, "database");
    String url =
        "jdbc:"
            + scheme
            + "://"
            + DatabaseHost.inUrl(host)
            + ":"
            + port
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8);
    Properties properties = new Properties();
    properties.setProperty("user", Config.required(config, "username"));
    String password = Config.string(config, "password", null);
    if (password != null) {
      properties.setProperty("password", password);
    }
    driverSettings(properties, CONNECT_TIMEOUT);
    ssl(config.get("ssl_mode"), properties);
    parameters(Config.string(config, "jdbc_url_params", null), properties);
    // set last: no parameter of the user's replaces them (and no such name is an allowed parameter)
    egressSockets(properties, egress.key());
    Connection connection;
    try {
      connection = DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw translate(e, config);
    }
    try {
      prepare(connection);
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw translate(e, config);
    }
  }

  /**
   * Opens a connection and starts a read or a write on it; when starting fails, closes the
   * connection, which nothing else owns yet.
   */
  public <T> T openFor(ObjectNode config, Starter<T> starter) {
    Connection connection = open(config);
    try {
      return starter.start(connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw translate(e, config);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /** Starts a read or a write on a new connection. */
  @FunctionalInterface
  public interface Starter<T> {
    T start(Connection connection) throws SQLException;
  }

  /**
   * Connects and probes; a failure to connect or to probe is the check's failure, not thrown.
   *
   * @param probe runs with a statement that times out
   */
  public ConnectionStatus check(ObjectNode config, Probe probe) {
    try (Connection connection = open(config);
        var statement = connection.createStatement()) {
      statement.setQueryTimeout(30);
      return probe.check(connection, statement);
    } catch (ConnectorException e) {
      return ConnectionStatus.failed(e.getMessage());
    } catch (SQLException e) {
      return ConnectionStatus.failed(translate(e, config).getMessage());
    }
  }

  /** What a check asks of a connection. */
  @FunctionalInterface
  public interface Probe {
    ConnectionStatus check(Connection connection, Statement statement) throws SQLException;
  }

  /** Readies a new session before anyone uses it; nothing by default. */
  protected void prepare(Connection connection) throws SQLException {}

  /** The settings this driver always gets: timeouts, keep-alive, features turned off. */
  protected abstract void driverSettings(Properties properties, Duration timeout);

  /** Airbyte's {@code ssl_mode} onto the driver's options; null when the config has none. */
  protected abstract void ssl(JsonNode sslMode, Properties properties);

  /** Has the driver open its sockets through the egress policy named by {@code egressKey}. */
  protected abstract void egressSockets(Properties properties, String egressKey);

  /** {@link #translate} for one config, as readers take it. */
  public Function<SQLException, ConnectorException> errors(ObjectNode config) {
    return e -> translate(e, config);
  }

  /** The driver's failure in words an end user can act on. */
  public abstract ConnectorException translate(SQLException e, ObjectNode config);

  private void parameters(String params, Properties properties) {
    if (params == null || params.isBlank()) {
      return;
    }
    for (String pair : params.split("&")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      if (!allowedParameters.contains(kv[0])) {
        throw ConnectorException.config(
            "jdbc_url_params: '"
                + kv[0]
                + "' is not an allowed parameter; allowed: "
                + String.join(", ", allowedParameters.stream().sorted().toList()));
      }
      properties.setProperty(kv[0], kv.length > 1 ? kv[1] : "");
    }
  }

  /** Closes a connection nothing else owns, when there is no more to do about a failure. */
  public static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing more to release
    }
  }

  /**
   * Rolls back what a failed or abandoned transaction wrote, when there is nothing left to tell.
   */
  public static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // nothing to roll back
    }
  }
}
