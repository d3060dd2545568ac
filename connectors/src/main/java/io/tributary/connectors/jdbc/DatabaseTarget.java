package io.tributary.connectors.jdbc;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connectors.egress.EgressRefusedException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;
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

  /** The egress policy refused the host, or the host does not resolve; empty otherwise. */
  public Optional<ConnectorException> unreachable(SQLException e) {
    var refused = EgressRefusedException.in(e);
    if (refused.isPresent()) {
      return Optional.of(
          new ConnectorException(FailureType.CONFIG_ERROR, refused.get().getMessage(), e));
    }
    if (rootCause(e) instanceof UnknownHostException) {
      return Optional.of(
          new ConnectorException(
              FailureType.CONFIG_ERROR, "Unknown host '" + host + "': check the host name", e));
    }
    return Optional.empty();
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
