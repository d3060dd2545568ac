package io.tributary.connectors.mysql;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connectors.egress.EgressRefusedException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import tools.jackson.databind.node.ObjectNode;

/** MySQL / MariaDB failures in words an end user can act on. Never includes a secret. */
final class MysqlErrors {

  private MysqlErrors() {}

  static ConnectorException translate(SQLException e, ObjectNode config) {
    String host = config.path("host").asString("?");
    String port = config.path("port").asString("3306");
    String user = config.path("username").asString("?");
    String database = config.path("database").asString("?");
    var refused = EgressRefusedException.in(e);
    if (refused.isPresent()) {
      return new ConnectorException(FailureType.CONFIG_ERROR, refused.get().getMessage(), e);
    }
    String message = String.valueOf(e.getMessage());
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof UnknownHostException) {
      return new ConnectorException(
          FailureType.CONFIG_ERROR, "Unknown host '" + host + "': check the host name", e);
    }
    if (message.contains("Access denied for user")) {
      return new ConnectorException(
          FailureType.CONFIG_ERROR,
          "Authentication failed for user '" + user + "': check the username and password",
          e);
    }
    if (message.contains("Unknown database")) {
      return new ConnectorException(
          FailureType.CONFIG_ERROR, "Database '" + database + "' does not exist", e);
    }
    return switch (e.getErrorCode()) {
      case 1045 ->
          new ConnectorException(
              FailureType.CONFIG_ERROR,
              "Authentication failed for user '" + user + "': check the username and password",
              e);
      case 1049 ->
          new ConnectorException(
              FailureType.CONFIG_ERROR, "Database '" + database + "' does not exist", e);
      case 1044, 1142, 1143 ->
          new ConnectorException(
              FailureType.CONFIG_ERROR, "Permission denied for user '" + user + "'", e);
      default -> {
        if (message.contains("Connection refused") || message.contains("Could not connect")) {
          yield new ConnectorException(
              FailureType.CONFIG_ERROR,
              "Could not connect to "
                  + host
                  + ":"
                  + port
                  + ": connection refused; check the host, port and firewall",
              e);
        }
        if ("08"
            .equals(
                e.getSQLState() == null
                    ? ""
                    : e.getSQLState().substring(0, Math.min(2, e.getSQLState().length())))) {
          yield new ConnectorException(
              FailureType.TRANSIENT_ERROR, "MySQL: " + firstLine(message), e);
        }
        yield new ConnectorException(FailureType.SYSTEM_ERROR, "MySQL: " + firstLine(message), e);
      }
    };
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
