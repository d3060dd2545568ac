package io.tributary.connectors.duckdb;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.config.SpecifiedConnector;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.protocol.ConnectionStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import tools.jackson.databind.node.ObjectNode;

/**
 * A DuckDB database file in the organization's local directory, with typed tables and the same
 * commit rules as PostgreSQL.
 */
public final class DuckDbDestination extends SpecifiedConnector implements Destination {

  private final LocalRoot root;

  public DuckDbDestination(LocalRoot root) {
    super("destination-duckdb");
    this.root = root;
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    try {
      Path file = file(config);
      Connection connection = DuckDbFiles.connect(file);
      try (var statement = connection.createStatement()) {
        statement.execute("select 1");
      } finally {
        DuckDbFiles.release(file, connection);
      }
      return ConnectionStatus.succeeded();
    } catch (ConnectorException e) {
      return ConnectionStatus.failed(e.getMessage());
    } catch (SQLException e) {
      return ConnectionStatus.failed("DuckDB: " + e.getMessage());
    }
  }

  @Override
  public StreamWriter open(ObjectNode config, WriteTarget target) {
    return DuckDbWriter.open(file(config), Config.string(config, "schema", "main"), target);
  }

  /**
   * The database file: {@code destination_path} names a file in the organization's local directory.
   */
  Path file(ObjectNode config) {
    String path = Config.string(config, "destination_path", null);
    if (path == null || path.isBlank() || path.endsWith("/")) {
      throw ConnectorException.config(
          "destination_path must name a DuckDB file under /local/, e.g. /local/warehouse.duckdb");
    }
    return root.file(path);
  }
}
