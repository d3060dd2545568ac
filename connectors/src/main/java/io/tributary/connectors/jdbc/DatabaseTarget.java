package io.tributary.connectors.jdbc;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connectors.egress.EgressRefusedException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a config says to connect, for the failures every database connector words alike. Holds no
 * secret, so its messages never include one.
 */
public record DatabaseTarget(String host, String port, String user, String database) {

  public static DatabaseTarget of(ObjectNode config, int defaultPort) {
    return new DatabaseTarget(
        config.path("host").asString("?"),
        config.path("port").asString(Integer.toString(defaultPort)),
        config.path("username").asString("?"),
        config.path("database").asString("?"));
  }

  /** A driver's words for {@code e}, given where the config says to connect. */
  @FunctionalInterface
  public interface Dialect {
    ConnectorException describe(SQLException e, DatabaseTarget target);
  }

  /**
   * {@code e} in words an end user can act on: a host the egress policy refused or that does not
   * resolve, as every database says it; anything else as the driver's {@code dialect} does.
   */
  public ConnectorException explain(SQLException e, Dialect dialect) {
    var refused = EgressRefusedException.in(e);
    if (refused.isPresent()) {
      return new ConnectorException(FailureType.CONFIG_ERROR, refused.get().getMessage(), e);
    }
    if (rootCause(e) instanceof UnknownHostException) {
      return new ConnectorException(
          FailureType.CONFIG_ERROR, "Unknown host '" + host + "': check the host name", e);
    }
    return dialect.describe(e, this);
  }

  public ConnectorException connectionRefused(SQLException e) {
    return new ConnectorException(
        FailureType.CONFIG_ERROR,
        "Could not connect to "
            + host
            + ":"
            + port
            + ": connection refused; check the host, port and firewall",
        e);
  }

  public ConnectorException authenticationFailed(SQLException e) {
    return new ConnectorException(
        FailureType.CONFIG_ERROR,
        "Authentication failed for user '" + user + "': check the username and password",
        e);
  }

  public ConnectorException noSuchDatabase(SQLException e) {
    return new ConnectorException(
        FailureType.CONFIG_ERROR, "Database '" + database + "' does not exist", e);
  }

  public static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A driver message's first line; drivers append details (and server hints) below it. */
  public static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
