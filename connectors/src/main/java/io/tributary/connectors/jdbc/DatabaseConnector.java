package io.tributary.connectors.jdbc;

import io.tributary.connectors.config.SpecifiedConnector;
import io.tributary.protocol.ConnectionStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a database source or destination has before its own reading or writing: its driver's
 * connections, and a check that connects and asks the database one question.
 */
public abstract class DatabaseConnector<C extends JdbcConnections> extends SpecifiedConnector {

  protected final C connections;

  /**
   * @param connector the spec's name, e.g. {@code source-mysql}
   */
  protected DatabaseConnector(String connector, C connections) {
    super(connector);
    this.connections = connections;
  }

  public ConnectionStatus check(ObjectNode config) {
    return connections.check(
        config, (connection, statement) -> probe(config, connection, statement));
  }

  /**
   * What the check asks once connected, with a statement that times out; by default that a query
   * runs at all.
   */
  protected ConnectionStatus probe(ObjectNode config, Connection connection, Statement statement)
      throws SQLException {
    statement.execute("select 1");
    return ConnectionStatus.succeeded();
  }
}
