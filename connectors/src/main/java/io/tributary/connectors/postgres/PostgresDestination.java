package io.tributary.connectors.postgres;

import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.jdbc.DatabaseConnector;
import io.tributary.protocol.ConnectionStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loads into PostgreSQL with {@code COPY}, into typed tables: append, overwrite (atomic swap at the
 * end) and append_dedup (merge on the primary key). Each commit writes data and the stream's state
 * in one transaction.
 */
public final class PostgresDestination extends DatabaseConnector<PostgresConnections>
    implements Destination {

  public PostgresDestination(EgressPolicy egress) {
    super("destination-postgres", new PostgresConnections(egress));
  }

  /** Beyond connecting: the user may create schemas, where the tables go. */
  @Override
  protected ConnectionStatus probe(ObjectNode config, Connection connection, Statement statement)
      throws SQLException {
    try (var rs =
        statement.executeQuery("select has_database_privilege(current_database(), 'CREATE')")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return ConnectionStatus.failed(
            "User '"
                + config.path("username").asString()
                + "' may not create schemas in database '"
                + config.path("database").asString()
                + "'");
      }
    }
    return ConnectionStatus.succeeded();
  }

  @Override
  public StreamWriter open(ObjectNode config, WriteTarget target) {
    return PostgresWriter.open(connections, config, target);
  }
}
