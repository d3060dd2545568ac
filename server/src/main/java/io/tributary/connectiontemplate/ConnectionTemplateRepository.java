package io.tributary.connectiontemplate;

import io.tributary.auth.TagMode;
import io.tributary.template.TemplateColumns;
import io.tributary.template.TemplateRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

@Repository
public class ConnectionTemplateRepository extends TemplateRepository<ConnectionTemplate> {

  private static final String COLUMNS =
      "destination_name, destination_definition_id, destination_config::text as config, "
          + "destination_secrets, cron_expression, cron_time_zone, non_breaking_changes_preference, "
          + "sync_on_create, allow_end_user_sync, namespace_format, prefix";

  ConnectionTemplateRepository(JdbcClient jdbc, JsonMapper json) {
    super(jdbc, json, ConnectionTemplate.KIND, COLUMNS);
  }

  /** Every live template of the organization whose tags match, oldest first. */
  public List<ConnectionTemplate> findAllLive(
      UUID organizationId, List<String> tags, TagMode mode) {
    return store().findAllLive(organizationId, tags, mode);
  }

  /**
   * Of the given templates (deleted ones too: their connections keep running), those that let end
   * users start syncs.
   */
  public Set<UUID> allowingEndUserSync(Collection<UUID> templateIds) {
    if (templateIds.isEmpty()) {
      return Set.of();
    }
    return Set.copyOf(
        jdbc.sql("select id from connection_templates where allow_end_user_sync and id = any(?)")
            .param(templateIds.toArray(UUID[]::new))
            .query(UUID.class)
            .list());
  }

  void insert(ConnectionTemplate t) {
    store().insert(t, changeable(t).set("destination_definition_id", t.destinationDefinitionId()));
  }

  void update(ConnectionTemplate t) {
    store().update(t, changeable(t));
    // its connections without their own schedule follow the template's
    jdbc.sql(
            "update connections set schedule_stale = true where connection_template_id = ? and cron_expression is null "
                + "and deleted_at is null")
        .param(t.id())
        .update();
  }

  /** The columns an update rewrites: all but the destination's type. */
  private TemplateColumns changeable(ConnectionTemplate t) {
    return new TemplateColumns()
        .set("destination_name", t.destinationName())
        .json("destination_config", json.writeValueAsString(t.destinationConfig().masked()))
        .set("destination_secrets", t.destinationConfig().secrets())
        .set("cron_expression", t.cronExpression())
        .set("cron_time_zone", t.cronTimeZone())
        .set("non_breaking_changes_preference", t.nonBreakingChangesPreference().value())
        .set("sync_on_create", t.syncOnCreate())
        .set("allow_end_user_sync", t.allowEndUserSync())
        .set("namespace_format", t.namespaceFormat())
        .set("prefix", t.prefix());
  }

  @Override
  protected ConnectionTemplate map(ResultSet rs, int row) throws SQLException {
    return new ConnectionTemplate(
        stamp(rs),
        rs.getObject("destination_definition_id", UUID.class),
        rs.getString("destination_name"),
        sealedConfig(rs, "destination_secrets"),
        rs.getString("cron_expression"),
        rs.getString("cron_time_zone"),
        NonBreakingChangesPreference.valueOf(
            rs.getString("non_breaking_changes_preference").toUpperCase()),
        rs.getBoolean("sync_on_create"),
        rs.getBoolean("allow_end_user_sync"),
        rs.getString("namespace_format"),
        rs.getString("prefix"));
  }
}
