package io.tributary.connectors.mysql;

import static io.tributary.connectors.jdbc.DatabaseTarget.firstLine;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connectors.jdbc.DatabaseTarget;
import java.sql.SQLException;
import tools.jackson.databind.node.ObjectNode;

/** MySQL / MariaDB failures in words an end user can act on. Never includes a secret. */
final class MysqlErrors {

  private MysqlErrors() {}

  static ConnectorException translate(SQLException e, ObjectNode config) {
    return DatabaseTarget.of(config, 3306).explain(e, MysqlErrors::describe);
  }

  private static ConnectorException describe(SQLException e, DatabaseTarget target) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("Access denied for user")) {
      return target.authenticationFailed(e);
    }
    if (message.contains("Unknown database")) {
      return target.noSuchDatabase(e);
    }
    return switch (e.getErrorCode()) {
      case 1045 -> target.authenticationFailed(e);
      case 1049 -> target.noSuchDatabase(e);
      case 1044, 1142, 1143 ->
          new ConnectorException(
              FailureType.CONFIG_ERROR, "Permission denied for user '" + target.user() + "'", e);
      default -> {
        if (message.contains("Connection refused") || message.contains("Could not connect")) {
          yield target.connectionRefused(e);
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
}
