package io.tributary.source;

import io.tributary.auth.ScopedRows;
import io.tributary.auth.TenantScope;
import io.tributary.common.PageRequest;
import io.tributary.job.JobStatus;
import io.tributary.secret.SealedConfig;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@Repository
public class SourceRepository {

  private static final String COLUMNS =
      "id, organization_id, workspace_id, source_template_id, definition_id, name, "
          + "config::text as config, config_secrets, created_at, updated_at, credentials_status";

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final ScopedRows<SourceRecord> live;

  SourceRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
    this.live = new ScopedRows<>(jdbc, "sources", COLUMNS, this::map);
  }

  /** A live source of the organization, optionally only within one workspace. */
  public Optional<SourceRecord> findLive(TenantScope scope, UUID id) {
    return live.find(scope, id);
  }

  /**
   * A live source, locked until the transaction ends: what changes its configuration reads it so,
   * and no other change lands between the read and the write.
   */
  Optional<SourceRecord> lockLive(UUID id) {
    return jdbc.sql(
            "select " + COLUMNS + " from sources where id = ? and deleted_at is null for update")
        .param(id)
        .query(this::map)
        .optional();
  }

  /** Every live source the scope reaches, oldest first. */
  public List<SourceRecord> allLive(TenantScope scope) {
    return live.all(scope);
  }

  List<SourceRecord> page(TenantScope scope, PageRequest page) {
    return live.page(scope, page);
  }

  void insert(SourceRecord source) {
    jdbc.sql(
            """
            insert into sources (id, organization_id, workspace_id, source_template_id, definition_id, name, config,
                config_secrets, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")
        .params(
            source.id(),
            source.organizationId(),
            source.workspaceId(),
            source.sourceTemplateId(),
            source.definitionId(),
            source.name(),
            json.writeValueAsString(source.config().masked()),
            source.config().secrets(),
            Timestamp.from(source.createdAt()),
            Timestamp.from(source.updatedAt()))
        .update();
  }

  void update(SourceRecord source) {
    jdbc.sql(
            "update sources set name = ?, config = ?::jsonb, config_secrets = ?, updated_at = ? where id = ? and deleted_at is null")
        .params(
            source.name(),
            json.writeValueAsString(source.config().masked()),
            source.config().secrets(),
            Timestamp.from(source.updatedAt()),
            source.id())
        .update();
  }

  /**
   * Remembers the tag filter the source's connection templates were chosen with (null: all
   * templates).
   */
  void saveConnectionFilter(UUID id, List<String> tags, String mode) {
    jdbc.sql(
            "update sources set connection_template_tags = ?::jsonb, connection_template_tags_mode = ? where id = ?")
        .params(tags == null ? null : json.writeValueAsString(tags), mode, id)
        .update();
  }

  /** The live sources of a workspace with their connection-template filter. */
  List<FilteredSource> sourcesWithFilter(UUID workspaceId) {
    return jdbc.sql(
            "select id, connection_template_tags::text, connection_template_tags_mode from sources "
                + "where workspace_id = ? and deleted_at is null order by created_at, id")
        .param(workspaceId)
        .query(
            (rs, row) ->
                new FilteredSource(
                    rs.getObject(1, UUID.class),
                    rs.getString(2) == null
                        ? null
                        : List.of(json.readValue(rs.getString(2), String[].class)),
                    rs.getString(3)))
        .list();
  }

  record FilteredSource(UUID id, List<String> tags, String mode) {}

  boolean softDelete(UUID id, Instant now) {
    return jdbc.sql("update sources set deleted_at = ? where id = ? and deleted_at is null")
            .params(Timestamp.from(now), id)
            .update()
        == 1;
  }

  /** Soft-deletes every source of a deleted workspace. */
  void softDeleteWorkspace(UUID workspaceId, Instant now) {
    jdbc.sql("update sources set deleted_at = ? where workspace_id = ? and deleted_at is null")
        .params(Timestamp.from(now), workspaceId)
        .update();
  }

  private SourceRecord map(ResultSet rs, int row) throws SQLException {
    return new SourceRecord(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getObject("workspace_id", UUID.class),
        rs.getObject("source_template_id", UUID.class),
        rs.getObject("definition_id", UUID.class),
        rs.getString("name"),
        new SealedConfig(
            (ObjectNode) json.readTree(rs.getString("config")), rs.getBytes("config_secrets")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        "ok".equals(rs.getString("credentials_status")));
  }

  /**
   * Live sources of these definitions whose credentials are valid and have not been used or checked
   * since {@code idleSince}, the longest idle first, none of whose connections is syncing right now
   * (its connector may be refreshing the same single-use token).
   */
  List<SourceRecord> idleWithValidCredentials(
      Collection<UUID> definitionIds, Instant idleSince, int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from sources s where deleted_at is null and credentials_status = 'ok'"
                + " and definition_id = any(?)"
                + " and greatest(updated_at, coalesce(credentials_checked_at, updated_at)) < ?"
                + " and not exists (select 1 from jobs j join connections c on c.id = j.connection_id"
                + " where c.source_id = s.id and j.status = ?)"
                + " order by greatest(updated_at, coalesce(credentials_checked_at, updated_at))"
                + " limit ?")
        .params(
            definitionIds.toArray(UUID[]::new),
            Timestamp.from(idleSince),
            JobStatus.RUNNING.value(),
            limit)
        .query(this::map)
        .list();
  }

  /**
   * Whether a sync of one of the source's connections is running: its connector may hold a token it
   * refreshed and has not stored yet, which a check would see refused.
   */
  boolean syncing(UUID id) {
    return jdbc.sql(
            "select exists (select 1 from jobs j join connections c on c.id = j.connection_id"
                + " where c.source_id = ? and j.status = ?)")
        .params(id, JobStatus.RUNNING.value())
        .query(Boolean.class)
        .single();
  }

  /**
   * Takes an idle source for a keep-alive check; false when another node took it since (the check
   * time moves first, so no two nodes check one source at once).
   */
  boolean claimKeepAlive(UUID id, Instant idleSince, Instant now) {
    return jdbc.sql(
                "update sources set credentials_checked_at = ? where id = ? and deleted_at is null"
                    + " and greatest(updated_at, coalesce(credentials_checked_at, updated_at)) < ?")
            .params(Timestamp.from(now), id, Timestamp.from(idleSince))
            .update()
        == 1;
  }

  /** Records whether the provider honours the source's credentials; true when that changed. */
  boolean setCredentialsValid(UUID id, boolean valid, Instant now) {
    return jdbc.sql(
                "update sources set credentials_status = ?, credentials_checked_at = ? "
                    + "where id = ? and credentials_status <> ? and deleted_at is null")
            .params(valid ? "ok" : "invalid", Timestamp.from(now), id, valid ? "ok" : "invalid")
            .update()
        == 1;
  }
}
