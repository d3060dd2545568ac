package io.tributary.sourcetemplate;

import io.tributary.template.TemplateColumns;
import io.tributary.template.TemplateRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

@Repository
public class SourceTemplateRepository extends TemplateRepository<SourceTemplate> {

  private static final String COLUMNS =
      "name, actor_definition_id, partial_default_config::text as config, partial_default_secrets, "
          + "customization::text as customization";

  SourceTemplateRepository(JdbcClient jdbc, JsonMapper json) {
    super(jdbc, json, SourceTemplate.KIND, COLUMNS);
  }

  public Optional<SourceTemplate> findLive(UUID organizationId, UUID id) {
    return store().findLive(organizationId, id);
  }

  /** The template's tag names, sorted. */
  public List<String> tagNames(UUID id) {
    return store().tagNames(List.of(id)).get(id);
  }

  void insert(SourceTemplate template) {
    store()
        .insert(
            template,
            changeable(template).set("actor_definition_id", template.actorDefinitionId()));
  }

  void update(SourceTemplate template) {
    store().update(template, changeable(template));
  }

  /** The columns an update rewrites: all but the connector. */
  private TemplateColumns changeable(SourceTemplate template) {
    return new TemplateColumns()
        .set("name", template.name())
        .json(
            "partial_default_config",
            json.writeValueAsString(template.partialDefaultConfig().masked()))
        .set("partial_default_secrets", template.partialDefaultConfig().secrets())
        .json("customization", json.writeValueAsString(template.customization()));
  }

  @Override
  protected SourceTemplate map(ResultSet rs, int row) throws SQLException {
    return new SourceTemplate(
        stamp(rs),
        rs.getString("name"),
        rs.getObject("actor_definition_id", UUID.class),
        sealedConfig(rs, "partial_default_secrets"),
        json.readValue(rs.getString("customization"), Customization.class));
  }
}
