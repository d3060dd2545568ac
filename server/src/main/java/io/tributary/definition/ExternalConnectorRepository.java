package io.tributary.definition;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The connectors the instance admin registered or installed, with how each one runs. */
@Repository
class ExternalConnectorRepository {

  private static final String COLUMNS =
      "definition_id, type, name, runtime, command::text as command, package_name, package_version,"
          + " entry_point, manifest::text as manifest, components, docker_repository, icon_url,"
          + " documentation_url, license, language, spec::text as spec, created_at, updated_at";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  ExternalConnectorRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  List<ExternalConnector> findAll() {
    return jdbc.sql("select " + COLUMNS + " from external_connectors order by name")
        .query(this::map)
        .list();
  }

  Optional<ExternalConnector> find(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from external_connectors where definition_id = ?")
        .param(id)
        .query(this::map)
        .optional();
  }

  /**
   * The connector, kept from removal until the caller's transaction ends: for work that makes a
   * template of it. A removal under way makes this wait, then it finds nothing.
   */
  Optional<ExternalConnector> findHeld(UUID id) {
    return jdbc.sql(
            "select " + COLUMNS + " from external_connectors where definition_id = ? for share")
        .param(id)
        .query(this::map)
        .optional();
  }

  void insert(ExternalConnector connector) {
    jdbc.sql(
            """
            insert into external_connectors (definition_id, type, name, runtime, command, package_name,
                package_version, entry_point, manifest, components, docker_repository, icon_url,
                documentation_url, license, language, spec, created_at, updated_at)
            values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            """)
        .params(
            concat(
                List.of(connector.definitionId()),
                fields(connector),
                List.of(Timestamp.from(connector.createdAt()), Timestamp.from(Instant.now()))))
        .update();
  }

  /** Replaces a connector's runtime and metadata (an upgrade); its id and creation stay. */
  boolean update(ExternalConnector connector) {
    return jdbc.sql(
                """
                update external_connectors set type = ?, name = ?, runtime = ?, command = ?::jsonb,
                    package_name = ?, package_version = ?, entry_point = ?, manifest = ?::jsonb,
                    components = ?, docker_repository = ?, icon_url = ?, documentation_url = ?,
                    license = ?, language = ?, spec = ?::jsonb, updated_at = ?
                where definition_id = ?
                """)
            .params(
                concat(
                    fields(connector),
                    List.of(Timestamp.from(Instant.now()), connector.definitionId())))
            .update()
        == 1;
  }

  /** Whether live templates, sources or destinations, of any organization, run the connector. */
  private static final String IN_USE =
      """
      exists (select 1 from source_templates where actor_definition_id = :id and deleted_at is null)
      or exists (select 1 from connection_templates where destination_definition_id = :id and deleted_at is null)
      or exists (select 1 from sources where definition_id = :id and deleted_at is null)
      or exists (select 1 from destinations where definition_id = :id and deleted_at is null)""";

  /**
   * Deletes the connector unless something runs it: false when it did not. Joins the caller's
   * transaction. The row is locked first, which waits for templates being made of it ({@link
   * #findHeld}), so that the check, a statement of its own, sees them.
   */
  boolean deleteUnused(UUID id) {
    jdbc.sql("select 1 from external_connectors where definition_id = ? for update")
        .param(id)
        .query(Integer.class)
        .optional();
    return jdbc.sql(
                "delete from external_connectors where definition_id = :id and not ("
                    + IN_USE
                    + ")")
            .param("id", id)
            .update()
        == 1;
  }

  private static List<Object> concat(List<?>... parts) {
    List<Object> all = new ArrayList<>();
    for (List<?> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  /** The columns after the id, in the order both statements name them. */
  private List<Object> fields(ExternalConnector connector) {
    ExternalConnector.Metadata about = connector.metadata();
    String command = null;
    String packageName = null;
    String version = null;
    String entryPoint = null;
    String manifest = null;
    String components = null;
    switch (connector.runtime()) {
      case ConnectorRuntime.Command c -> command = json.writeValueAsString(c.command());
      case ConnectorRuntime.PythonPackage p -> {
        packageName = p.packageName();
        version = p.version();
        entryPoint = p.entryPoint();
      }
      case ConnectorRuntime.Manifest m -> {
        manifest = json.writeValueAsString(m.manifest());
        components = m.components();
      }
      case ConnectorRuntime.BuiltIn b ->
          throw new IllegalArgumentException("A built-in connector is not stored");
    }
    return Arrays.asList(
        connector.type().name().toLowerCase(),
        connector.name(),
        connector.runtime().kind(),
        command,
        packageName,
        version,
        entryPoint,
        manifest,
        components,
        about.dockerRepository(),
        about.iconUrl(),
        about.documentationUrl(),
        about.license(),
        about.language(),
        json.writeValueAsString(connector.spec()));
  }

  private ExternalConnector map(ResultSet rs, int row) throws SQLException {
    ConnectorRuntime runtime =
        switch (rs.getString("runtime")) {
          case "python" ->
              new ConnectorRuntime.PythonPackage(
                  rs.getString("package_name"),
                  rs.getString("package_version"),
                  rs.getString("entry_point"));
          case "manifest" ->
              new ConnectorRuntime.Manifest(
                  (ObjectNode) json.readTree(rs.getString("manifest")), rs.getString("components"));
          default ->
              new ConnectorRuntime.Command(
                  List.of(json.readValue(rs.getString("command"), String[].class)));
        };
    return new ExternalConnector(
        rs.getObject("definition_id", UUID.class),
        ConnectorType.valueOf(rs.getString("type").toUpperCase()),
        rs.getString("name"),
        runtime,
        new ExternalConnector.Metadata(
            rs.getString("docker_repository"),
            rs.getString("icon_url"),
            rs.getString("documentation_url"),
            rs.getString("license"),
            rs.getString("language")),
        (ObjectNode) json.readTree(rs.getString("spec")),
        rs.getTimestamp("created_at").toInstant());
  }

  /** A registered or installed Airbyte-protocol connector. */
  record ExternalConnector(
      UUID definitionId,
      ConnectorType type,
      String name,
      ConnectorRuntime runtime,
      Metadata metadata,
      ObjectNode spec,
      Instant createdAt) {

    /** What Airbyte's registry says about a connector; any of it may be null. */
    record Metadata(
        String dockerRepository,
        String iconUrl,
        String documentationUrl,
        String license,
        String language) {
      static final Metadata NONE = new Metadata(null, null, null, null, null);
    }
  }
}
