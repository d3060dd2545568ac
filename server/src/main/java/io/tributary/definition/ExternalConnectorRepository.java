package io.tributary.definition;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@Repository
class ExternalConnectorRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  ExternalConnectorRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  List<ExternalConnector> findAll() {
    return jdbc.sql(
            "select definition_id, type, name, command::text, spec::text, created_at from external_connectors order by name")
        .query(this::map)
        .list();
  }

  Optional<ExternalConnector> find(UUID id) {
    return jdbc.sql(
            "select definition_id, type, name, command::text, spec::text, created_at from external_connectors where definition_id = ?")
        .param(id)
        .query(this::map)
        .optional();
  }

  void insert(ExternalConnector connector) {
    jdbc.sql(
            "insert into external_connectors (definition_id, type, name, command, spec, created_at) values (?, ?, ?, ?::jsonb, ?::jsonb, ?)")
        .params(
            connector.definitionId(),
            connector.type().name().toLowerCase(),
            connector.name(),
            json.writeValueAsString(connector.command()),
            json.writeValueAsString(connector.spec()),
            Timestamp.from(connector.createdAt()))
        .update();
  }

  boolean delete(UUID id) {
    return jdbc.sql("delete from external_connectors where definition_id = ?").param(id).update()
        == 1;
  }

  private ExternalConnector map(ResultSet rs, int row) throws SQLException {
    return new ExternalConnector(
        rs.getObject("definition_id", UUID.class),
        ConnectorType.valueOf(rs.getString("type").toUpperCase()),
        rs.getString("name"),
        List.of(json.readValue(rs.getString("command"), String[].class)),
        (ObjectNode) json.readTree(rs.getString("spec")),
        rs.getTimestamp("created_at").toInstant());
  }

  /** A registered Airbyte-protocol connector. */
  record ExternalConnector(
      UUID definitionId,
      ConnectorType type,
      String name,
      List<String> command,
      ObjectNode spec,
      Instant createdAt) {}
}
