package io.tributary.connectors.postgres;

import static io.tributary.connectors.jdbc.DatabaseTarget.firstLine;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connectors.jdbc.DatabaseTarget;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import tools.jackson.databind.node.ObjectNode;

/**
 * PostgreSQL failures in words an end user can act on, classified for retries. Never includes a
 * secret.
 */
final class PostgresErrors {

  private PostgresErrors() {}

  static ConnectorException translate(SQLException e, ObjectNode config) {
    return DatabaseTarget.of(config, 5432).explain(e, PostgresErrors::describe);
  }

  private static ConnectorException describe(SQLException e, DatabaseTarget target) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    Throwable cause = DatabaseTarget.rootCause(e);
    if (cause instanceof ConnectException) {
      return target.connectionRefused(e);
    }
    if (cause instanceof SocketTimeoutException
        || state.equals("08001") && String.valueOf(e.getMessage()).contains("timed out")) {
      return new ConnectorException(
          FailureType.TRANSIENT_ERROR,
          "Timed out connecting to "
              + target.host()
              + ":"
              + target.port()
              + "; check the host, port and firewall",
          e);
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("does not support SSL")) {
      // the end user's form calls ssl_mode "Encryption"; the API's callers know the key
      return new ConnectorException(
          FailureType.CONFIG_ERROR,
          "The database server at "
              + target.host()
              + " does not accept encrypted connections: set Encryption (ssl_mode) to "
              + "\"When the server offers it\" (prefer), or turn on SSL on the server",
          e);
    }
    if (cause instanceof javax.net.ssl.SSLException) {
      return new ConnectorException(
          FailureType.CONFIG_ERROR,
          "The database server's certificate could not be verified: check the CA certificate "
              + "under Encryption (ssl_mode), or choose \"Always\" (require) to encrypt without "
              + "checking it",
          e);
    }
    return switch (state) {
      case "28P01", "28000" -> target.authenticationFailed(e);
      case "3D000" -> target.noSuchDatabase(e);
      case "42501" ->
          new ConnectorException(
              FailureType.CONFIG_ERROR,
              "Permission denied for user '" + target.user() + "': " + firstLine(e.getMessage()),
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
}
