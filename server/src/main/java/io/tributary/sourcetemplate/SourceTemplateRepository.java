package io.tributary.sourcetemplate;

import io.tributary.secret.SealedConfig;
import io.tributary.template.TemplateKind;
import io.tributary.template.TemplateRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@Repository
public class SourceTemplateRepository extends TemplateRepository<SourceTemplate> {

  private static final TemplateKind KIND =
      new TemplateKind("Source template", "source_templates", "source_template_tags");
  private static final String COLUMNS =
      "id, organization_id, name, actor_definition_id, partial_default_config::text as config, "
          + "partial_default_secrets, customization::text as customization, created_at, updated_at";

  SourceTemplateRepository(JdbcClient jdbc, JsonMapper json) {
    super(jdbc, json, KIND, COLUMNS);
  }

  public Optional<SourceTemplate> findLive(UUID organizationId, UUID id) {
    return store().findLive(organizationId, id);
  }

  /** The template's tag names, sorted. */
  public List<String> tagNames(UUID id) {
    return store().tagNames(List.of(id)).get(id);
  }

  void insert(SourceTemplate template) {
    jdbc.sql(
            """
            insert into source_templates (id, organization_id, name, actor_definition_id, partial_default_config,
                partial_default_secrets, customization, created_at, updated_at)
            values (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?)""")
        .params(
            template.id(),
            template.organizationId(),
            template.name(),
            template.actorDefinitionId(),
            json.writeValueAsString(template.partialDefaultConfig().masked()),
            template.partialDefaultConfig().secrets(),
            json.writeValueAsString(template.customization()),
            Timestamp.from(template.createdAt()),
            Timestamp.from(template.updatedAt()))
        .update();
  }

  void update(SourceTemplate template) {
    jdbc.sql(
            """
            update source_templates set name = ?, partial_default_config = ?::jsonb, partial_default_secrets = ?,
                customization = ?::jsonb, updated_at = ?
            where id = ? and deleted_at is null""")
        .params(
            template.name(),
            json.writeValueAsString(template.partialDefaultConfig().masked()),
            template.partialDefaultConfig().secrets(),
            json.writeValueAsString(template.customization()),
            Timestamp.from(template.updatedAt()),
            template.id())
        .update();
  }

  @Override
  protected SourceTemplate map(ResultSet rs, int row) throws SQLException {
    return new SourceTemplate(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getString("name"),
        rs.getObject("actor_definition_id", UUID.class),
        new SealedConfig(
            (ObjectNode) json.readTree(rs.getString("config")),
            rs.getBytes("partial_default_secrets")),
        json.readValue(rs.getString("customization"), Customization.class),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
