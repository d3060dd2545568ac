package io.tributary.connectors.postgres;

import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.config.Specs;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.jdbc.JdbcConnector;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loads into PostgreSQL with {@code COPY}, into typed tables: append, overwrite (atomic swap at the
 * end) and append_dedup (merge on the primary key). Each commit writes data and the stream's state
 * in one transaction.
 */
public final class PostgresDestination implements Destination {

  private static final ConnectorSpecification SPEC = Specs.load("destination-postgres");
  private final PostgresConnections connections;

  public PostgresDestination(EgressPolicy egress) {
    this.connections = new PostgresConnections(egress);
  }

  @Override
  public ConnectorSpecification spec() {
    return SPEC;
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    return JdbcConnector.check(
        () -> connections.open(config, PostgresSource.CONNECT_TIMEOUT),
        e -> PostgresErrors.translate(e, config),
        (connection, statement) -> {
          try (var rs =
              statement.executeQuery(
                  "select has_database_privilege(current_database(), 'CREATE')")) {
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
        });
  }

  @Override
  public StreamWriter open(ObjectNode config, WriteTarget target) {
    return PostgresWriter.open(connections, config, target);
  }
}
