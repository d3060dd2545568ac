package io.tributary.connectors.postgres;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connectors.egress.EgressRefusedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import tools.jackson.databind.node.ObjectNode;

/**
 * PostgreSQL failures in words an end user can act on, classified for retries. Never includes a
 * secret.
 */
final class PostgresErrors {

  private PostgresErrors() {}

  static ConnectorException translate(SQLException e, ObjectNode config) {
    String host = config.path("host").asString("?");
    String port = config.path("port").asString("5432");
    String user = config.path("username").asString("?");
    String database = config.path("database").asString("?");
    var refused = EgressRefusedException.in(e);
    if (refused.isPresent()) {
      return new ConnectorException(FailureType.CONFIG_ERROR, refused.get().getMessage(), e);
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    Throwable cause = rootCause(e);
    if (cause instanceof UnknownHostException) {
      return new ConnectorException(
          FailureType.CONFIG_ERROR, "Unknown host '" + host + "': check the host name", e);
    }
    if (cause instanceof ConnectException) {
      return new ConnectorException(
          FailureType.CONFIG_ERROR,
          "Could not connect to "
              + host
              + ":"
              + port
              + ": connection refused; check the host, port and firewall",
          e);
    }
    if (cause instanceof SocketTimeoutException
        || state.equals("08001") && String.valueOf(e.getMessage()).contains("timed out")) {
      return new ConnectorException(
          FailureType.TRANSIENT_ERROR,
          "Timed out connecting to " + host + ":" + port + "; check the host, port and firewall",
          e);
    }
    return switch (state) {
      case "28P01", "28000" ->
          new ConnectorException(
              FailureType.CONFIG_ERROR,
              "Authentication failed for user '" + user + "': check the username and password",
              e);
      case "3D000" ->
          new ConnectorException(
              FailureType.CONFIG_ERROR, "Database '" + database + "' does not exist", e);
      case "42501" ->
          new ConnectorException(
              FailureType.CONFIG_ERROR,
              "Permission denied for user '" + user + "': " + firstLine(e.getMessage()),
              e);
      case "42P01", "42703", "42601" ->
          new ConnectorException(FailureType.CONFIG_ERROR, firstLine(e.getMessage()), e);
      default ->
          state.startsWith("08")
                  || state.startsWith("57P")
                  || state.equals("40001")
                  || state.equals("40P01")
              ? new ConnectorException(
                  FailureType.TRANSIENT_ERROR, "PostgreSQL: " + firstLine(e.getMessage()), e)
              : new ConnectorException(
                  FailureType.SYSTEM_ERROR, "PostgreSQL: " + firstLine(e.getMessage()), e);
    };
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
