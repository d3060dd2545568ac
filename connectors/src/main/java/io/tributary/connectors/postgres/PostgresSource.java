package io.tributary.connectors.postgres;

import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.jdbc.DatabaseConnector;
import io.tributary.connectors.jdbc.JdbcSources;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.ConnectionStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads PostgreSQL tables and views: full refresh, or incremental on a user-chosen cursor column.
 */
public final class PostgresSource extends DatabaseConnector<PostgresConnections> implements Source {

  public PostgresSource(EgressPolicy egress) {
    super("source-postgres", new PostgresConnections(egress));
  }

  /** Beyond connecting: the configured schemas exist and are readable. */
  @Override
  protected ConnectionStatus probe(ObjectNode config, Connection connection, Statement statement)
      throws SQLException {
    statement.execute("select 1");
    List<String> schemas = PostgresCatalog.configuredSchemas(config);
    if (!schemas.isEmpty()) {
      List<String> missing = PostgresCatalog.missingSchemas(connection, schemas);
      if (!missing.isEmpty()) {
        return ConnectionStatus.failed(
            "Schema(s) not found or not readable: " + String.join(", ", missing));
      }
    }
    return ConnectionStatus.succeeded();
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config) {
    try (Connection connection = connections.open(config)) {
      Map<PostgresTable, List<PostgresColumn>> tables =
          PostgresCatalog.tables(connection, PostgresCatalog.configuredSchemas(config));
      Map<PostgresTable, List<List<String>>> keys =
          PostgresCatalog.primaryKeys(connection, tables.keySet());
      return JdbcSources.catalog(tables, keys, PostgresTable::name, PostgresTable::schema);
    } catch (SQLException e) {
      throw PostgresErrors.translate(e, config);
    }
  }

  @Override
  public StreamReader read(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext context) {
    return PostgresReader.open(connections, config, stream, context);
  }
}
