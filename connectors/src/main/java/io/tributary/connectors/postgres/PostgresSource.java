package io.tributary.connectors.postgres;

import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.config.Specs;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.jdbc.JdbcConnector;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads PostgreSQL tables and views: full refresh, or incremental on a user-chosen cursor column.
 */
public final class PostgresSource implements Source {

  private static final ConnectorSpecification SPEC = Specs.load("source-postgres");
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private final PostgresConnections connections;

  public PostgresSource(EgressPolicy egress) {
    this.connections = new PostgresConnections(egress);
  }

  @Override
  public ConnectorSpecification spec() {
    return SPEC;
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    return JdbcConnector.check(
        () -> connections.open(config, CONNECT_TIMEOUT),
        e -> PostgresErrors.translate(e, config),
        (connection, statement) -> {
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
        });
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config) {
    try (Connection connection = connections.open(config, CONNECT_TIMEOUT)) {
      Map<PostgresTable, List<PostgresColumn>> tables =
          PostgresCatalog.tables(connection, PostgresCatalog.configuredSchemas(config));
      Map<PostgresTable, List<List<String>>> keys =
          PostgresCatalog.primaryKeys(connection, tables.keySet());
      List<AirbyteStream> streams = new ArrayList<>(tables.size());
      tables.forEach(
          (table, columns) ->
              streams.add(
                  JdbcConnector.stream(
                      table.name(),
                      table.schema(),
                      columns.stream().map(PostgresColumn::field).toList(),
                      keys.getOrDefault(table, List.of()))));
      return new AirbyteCatalog(streams);
    } catch (SQLException e) {
      throw PostgresErrors.translate(e, config);
    }
  }

  @Override
  public StreamReader read(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext context) {
    return PostgresReader.open(connections, config, stream, context);
  }
}
