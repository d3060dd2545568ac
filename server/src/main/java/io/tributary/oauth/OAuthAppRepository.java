package io.tributary.oauth;

import io.tributary.secret.SealedConfig;
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
class OAuthAppRepository {

  private static final String COLUMNS =
      "definition_id, configuration::text as configuration, configuration_secrets, created_at,"
          + " updated_at";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  OAuthAppRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  Optional<OAuthApp> find(UUID organizationId, UUID definitionId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from oauth_apps where organization_id = ? and definition_id = ?")
        .params(organizationId, definitionId)
        .query(this::map)
        .optional();
  }

  List<OAuthApp> all(UUID organizationId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from oauth_apps where organization_id = ? order by created_at, definition_id")
        .param(organizationId)
        .query(this::map)
        .list();
  }

  void save(UUID organizationId, UUID definitionId, SealedConfig configuration, Instant now) {
    jdbc.sql(
            """
            insert into oauth_apps (organization_id, definition_id, configuration, configuration_secrets, created_at, updated_at)
            values (?, ?, ?::jsonb, ?, ?, ?)
            on conflict (organization_id, definition_id) do update set configuration = excluded.configuration,
                configuration_secrets = excluded.configuration_secrets, updated_at = excluded.updated_at""")
        .params(
            organizationId,
            definitionId,
            json.writeValueAsString(configuration.masked()),
            configuration.secrets(),
            Timestamp.from(now),
            Timestamp.from(now))
        .update();
  }

  boolean delete(UUID organizationId, UUID definitionId) {
    return jdbc.sql("delete from oauth_apps where organization_id = ? and definition_id = ?")
            .params(organizationId, definitionId)
            .update()
        > 0;
  }

  private OAuthApp map(ResultSet rs, int row) throws SQLException {
    return new OAuthApp(
        rs.getObject("definition_id", UUID.class),
        new SealedConfig(
            (ObjectNode) json.readTree(rs.getString("configuration")),
            rs.getBytes("configuration_secrets")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
