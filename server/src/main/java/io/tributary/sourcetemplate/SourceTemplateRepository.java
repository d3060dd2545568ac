package io.tributary.sourcetemplate;

import io.tributary.auth.TagMode;
import io.tributary.common.PageRequest;
import io.tributary.secret.SealedConfig;
import io.tributary.tag.TemplateTags;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@Repository
public class SourceTemplateRepository {

  private static final String COLUMNS = "id, organization_id, name, actor_definition_id, partial_default_config::text as config, "
      + "partial_default_secrets, customization::text as customization, created_at, updated_at";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  SourceTemplateRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  public Optional<SourceTemplate> findLive(UUID organizationId, UUID id) {
    return jdbc.sql("select " + COLUMNS + " from source_templates st where id = ? and organization_id = ? and deleted_at is null")
        .params(id, organizationId)
        .query(this::map)
        .optional();
  }

  /** A template by id, deleted or not: sources made from a deleted template keep using its defaults. */
  public Optional<SourceTemplate> findAny(UUID organizationId, UUID id) {
    return jdbc.sql("select " + COLUMNS + " from source_templates st where id = ? and organization_id = ?")
        .params(id, organizationId)
        .query(this::map)
        .optional();
  }

  /** A page of live templates whose tags match, in (created_at, id) order. */
  public List<SourceTemplate> page(UUID organizationId, List<String> tags, TagMode mode, PageRequest page) {
    List<Object> params = new ArrayList<>(List.of(organizationId));
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from source_templates st where organization_id = ? and deleted_at is null");
    sql.append(" and ").append(TemplateTags.filter(TemplateTags.Kind.SOURCE, "st", tags, mode, params));
    if (page.after() != null) {
      sql.append(" and (created_at, id) > (?, ?)");
      params.add(Timestamp.from(page.after().createdAt()));
      params.add(page.after().id());
    }
    sql.append(" order by created_at, id limit ?");
    params.add(page.fetchSize());
    return jdbc.sql(sql.toString()).params(params).query(this::map).list();
  }

  void insert(SourceTemplate template) {
    jdbc.sql("""
            insert into source_templates (id, organization_id, name, actor_definition_id, partial_default_config,
                partial_default_secrets, customization, created_at, updated_at)
            values (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?)""")
        .params(template.id(), template.organizationId(), template.name(), template.actorDefinitionId(),
            json.writeValueAsString(template.partialDefaultConfig().masked()), template.partialDefaultConfig().secrets(),
            json.writeValueAsString(template.customization()), Timestamp.from(template.createdAt()),
            Timestamp.from(template.updatedAt()))
        .update();
  }

  void update(SourceTemplate template) {
    jdbc.sql("""
            update source_templates set name = ?, partial_default_config = ?::jsonb, partial_default_secrets = ?,
                customization = ?::jsonb, updated_at = ?
            where id = ? and deleted_at is null""")
        .params(template.name(), json.writeValueAsString(template.partialDefaultConfig().masked()),
            template.partialDefaultConfig().secrets(), json.writeValueAsString(template.customization()),
            Timestamp.from(template.updatedAt()), template.id())
        .update();
  }

  void touch(UUID id, Instant now) {
    jdbc.sql("update source_templates set updated_at = ? where id = ?").params(Timestamp.from(now), id).update();
  }

  boolean softDelete(UUID organizationId, UUID id, Instant now) {
    return jdbc.sql("update source_templates set deleted_at = ? where id = ? and organization_id = ? and deleted_at is null")
            .params(Timestamp.from(now), id, organizationId)
            .update()
        == 1;
  }

  private SourceTemplate map(ResultSet rs, int row) throws SQLException {
    return new SourceTemplate(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getString("name"),
        rs.getObject("actor_definition_id", UUID.class),
        new SealedConfig((ObjectNode) json.readTree(rs.getString("config")), rs.getBytes("partial_default_secrets")),
        json.readValue(rs.getString("customization"), Customization.class),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
