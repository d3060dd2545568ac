package io.tributary.template;

import io.tributary.secret.SealedConfig;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A template kind's repository: the kind keeps the SQL of its own columns (insert, update) and maps
 * its rows; the {@link TemplateStore} runs what every kind shares.
 */
public abstract class TemplateRepository<T extends Template> {

  protected final JdbcClient jdbc;
  protected final JsonMapper json;
  private final TemplateKind kind;
  private final TemplateStore<T> store;

  /**
   * {@code columns} are the kind's own columns that {@link #map} reads besides the {@link
   * #stamp}'s, the config as {@code config}.
   */
  protected TemplateRepository(
      JdbcClient jdbc, JsonMapper json, TemplateKind kind, String columns) {
    this.jdbc = jdbc;
    this.json = json;
    this.kind = kind;
    this.store =
        new TemplateStore<>(
            jdbc, kind, "id, organization_id, created_at, updated_at, " + columns, this::map);
  }

  /** A template by id, deleted or not: what was made from a deleted template keeps using it. */
  public Optional<T> findAny(UUID organizationId, UUID id) {
    return store.findAny(organizationId, id);
  }

  public TemplateStore<T> store() {
    return store;
  }

  /**
   * The kind's sealed configuration: its masked JSON selected as {@code config} and its encrypted
   * secrets from {@code secretsColumn}.
   */
  protected SealedConfig sealedConfig(ResultSet rs, String secretsColumn) throws SQLException {
    return new SealedConfig(
        (ObjectNode) json.readTree(rs.getString("config")), rs.getBytes(secretsColumn));
  }

  /** The columns every kind has: id, organization_id, created_at and updated_at. */
  protected TemplateStamp stamp(ResultSet rs) throws SQLException {
    return new TemplateStamp(
        kind,
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  protected abstract T map(ResultSet rs, int row) throws SQLException;
}
