package io.tributary.connection;

import io.tributary.auth.ScopedRows;
import io.tributary.auth.TenantScope;
import io.tributary.common.PageRequest;
import io.tributary.event.EventLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.JsonNodeFactory;

/** Destinations and connections: both are made from connection templates, together. */
@Repository
public class ConnectionRepository {

  private static final String CONNECTION =
      "id, organization_id, workspace_id, source_id, destination_id, connection_template_id, "
          + "status, cron_expression, cron_time_zone, sync_requested_at, created_at, updated_at, next_sync_at, "
          + "paused_by";
  private static final String DESTINATION =
      "id, organization_id, workspace_id, connection_template_id, definition_id, name, "
          + "created_at, updated_at";

  private final JdbcClient jdbc;
  private final EventLog events;
  private final ScopedRows<ConnectionRecord> liveConnections;
  private final ScopedRows<DestinationRecord> liveDestinations;

  ConnectionRepository(JdbcClient jdbc, EventLog events) {
    this.events = events;
    this.jdbc = jdbc;
    this.liveConnections = new ScopedRows<>(jdbc, "connections", CONNECTION, this::connection);
    this.liveDestinations = new ScopedRows<>(jdbc, "destinations", DESTINATION, this::destination);
  }

  /**
   * The workspace's destination for a template, created when missing (one per template and
   * workspace).
   */
  DestinationRecord destinationFor(
      UUID organizationId,
      UUID workspaceId,
      UUID templateId,
      UUID definitionId,
      String name,
      Instant now) {
    jdbc.sql(
            """
            insert into destinations (id, organization_id, workspace_id, connection_template_id, definition_id, name, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (workspace_id, connection_template_id) where deleted_at is null do nothing""")
        .params(
            UUID.randomUUID(),
            organizationId,
            workspaceId,
            templateId,
            definitionId,
            name,
            Timestamp.from(now),
            Timestamp.from(now))
        .update();
    return jdbc.sql(
            "select "
                + DESTINATION
                + " from destinations where workspace_id = ? and connection_template_id = ? and deleted_at is null")
        .params(workspaceId, templateId)
        .query(this::destination)
        .single();
  }

  void insertConnection(ConnectionRecord c) {
    jdbc.sql(
            """
            insert into connections (id, organization_id, workspace_id, source_id, destination_id, connection_template_id, status,
                sync_requested_at, first_sync_pending, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(
            c.id(),
            c.organizationId(),
            c.workspaceId(),
            c.sourceId(),
            c.destinationId(),
            c.connectionTemplateId(),
            c.status(),
            c.syncRequestedAt() == null ? null : Timestamp.from(c.syncRequestedAt()),
            c.syncRequestedAt() != null,
            Timestamp.from(c.createdAt()),
            Timestamp.from(c.updatedAt()))
        .update();
  }

  public List<UUID> connectionIdsOfSource(UUID sourceId) {
    return jdbc.sql(
            "select id from connections where source_id = ? and deleted_at is null order by created_at, id")
        .param(sourceId)
        .query(UUID.class)
        .list();
  }

  /**
   * {@link #connectionIdsOfSource} for many sources in one statement: a page of sources costs one
   * round trip for its connections, not one per source. Every source asked for has an entry.
   */
  public Map<UUID, List<UUID>> connectionIdsOfSources(List<UUID> sourceIds) {
    Map<UUID, List<UUID>> bySource = new LinkedHashMap<>();
    sourceIds.forEach(id -> bySource.put(id, new ArrayList<>()));
    if (sourceIds.isEmpty()) {
      return bySource;
    }
    jdbc.sql(
            "select source_id, id from connections where source_id = any(?) and deleted_at is null"
                + " order by created_at, id")
        .param(sourceIds.toArray(UUID[]::new))
        .query(
            (rs, row) -> {
              bySource
                  .get(rs.getObject("source_id", UUID.class))
                  .add(rs.getObject("id", UUID.class));
              return null;
            })
        .list();
    return bySource;
  }

  public Optional<ConnectionRecord> findConnection(TenantScope scope, UUID id) {
    return liveConnections.find(scope, id);
  }

  /** Every live connection the scope reaches, oldest first. */
  public List<ConnectionRecord> allLive(TenantScope scope) {
    return liveConnections.all(scope);
  }

  List<ConnectionRecord> connections(
      TenantScope scope, UUID sourceId, String status, PageRequest page) {
    return liveConnections.page(
        scope,
        page,
        new ScopedRows.Equal("source_id", sourceId),
        new ScopedRows.Equal("status", status));
  }

  /**
   * Stops a connection's syncs until an operator sets it active again, and tells the operator why
   * ({@code connection.paused}).
   */
  @Transactional
  public void pause(UUID id, String reason, Instant now) {
    jdbc.sql(
            "update connections set status = 'inactive', updated_at = ?, paused_by = ? where id = ?"
                + " and status = 'active' returning organization_id, workspace_id, source_id")
        .params(Timestamp.from(now), reason.endsWith("schema_change") ? reason : null, id)
        .query(
            (rs, row) -> {
              paused(
                  rs.getObject(1, UUID.class),
                  rs.getObject(2, UUID.class),
                  id,
                  rs.getObject(3, UUID.class),
                  reason);
              return id;
            })
        .list();
  }

  /** Records a {@code connection.paused} event, in the caller's transaction. */
  public void paused(
      UUID organizationId, UUID workspaceId, UUID connectionId, UUID sourceId, String reason) {
    events.record(
        organizationId,
        workspaceId,
        "connection.paused",
        JsonNodeFactory.instance
            .objectNode()
            .put("connection_id", connectionId.toString())
            .put("workspace_id", workspaceId.toString())
            .put("source_id", sourceId.toString())
            .put("reason", reason));
  }

  /** Records a {@code connection.created} event, in the caller's transaction. */
  void created(ConnectionRecord connection) {
    events.record(
        connection.organizationId(),
        connection.workspaceId(),
        "connection.created",
        JsonNodeFactory.instance
            .objectNode()
            .put("connection_id", connection.id().toString())
            .put("workspace_id", connection.workspaceId().toString())
            .put("source_id", connection.sourceId().toString())
            .put("destination_id", connection.destinationId().toString())
            .put("connection_template_id", connection.connectionTemplateId().toString()));
  }

  /**
   * Pauses the source's active connections because the provider refused its credentials; {@link
   * #resumeAfterCredentials} undoes exactly these.
   *
   * @return the connections paused
   */
  public List<UUID> pauseForCredentials(UUID sourceId, Instant now) {
    return jdbc.sql(
            "update connections set status = 'inactive', paused_by = 'credentials', updated_at = ?,"
                + " schedule_stale = true where source_id = ? and status = 'active' and deleted_at is null"
                + " returning id")
        .params(Timestamp.from(now), sourceId)
        .query(UUID.class)
        .list();
  }

  /** Sets active again the connections paused when the source's credentials were refused. */
  public List<UUID> resumeAfterCredentials(UUID sourceId, Instant now) {
    return jdbc.sql(
            "update connections set status = 'active', paused_by = null, updated_at = ?,"
                + " schedule_stale = true where source_id = ? and paused_by = 'credentials'"
                + " and deleted_at is null returning id")
        .params(Timestamp.from(now), sourceId)
        .query(UUID.class)
        .list();
  }

  /**
   * Sets a connection's schedule and, when {@code status} is given, its status. Only an operator's
   * own choice of status replaces a pause Tributary made: a schedule change leaves a connection
   * paused for its credentials to be resumed when they are fixed.
   */
  @Transactional
  void update(UUID id, String status, String cronExpression, String cronTimeZone, Instant now) {
    if ("inactive".equals(status)) {
      pause(id, "operator", now);
    }
    jdbc.sql(
            "update connections set status = coalesce(?, status), cron_expression = ?,"
                + " cron_time_zone = ?, updated_at = ?, schedule_stale = true,"
                + " paused_by = case when ?::text is null then paused_by end where id = ?")
        .params(status, cronExpression, cronTimeZone, Timestamp.from(now), status, id)
        .update();
  }

  Optional<DestinationRecord> findDestination(TenantScope scope, UUID id) {
    return liveDestinations.find(scope, id);
  }

  List<DestinationRecord> destinations(TenantScope scope, PageRequest page) {
    return liveDestinations.page(scope, page);
  }

  /** Template ids of a source's live connections. */
  public List<UUID> templatesOfSource(UUID sourceId) {
    return jdbc.sql(
            "select connection_template_id from connections where source_id = ? and deleted_at is null")
        .param(sourceId)
        .query(UUID.class)
        .list();
  }

  /**
   * Removes a workspace's connections and destinations made from templates that were deleted since.
   */
  public List<UUID> softDeleteOfDeletedTemplates(UUID workspaceId, Instant now) {
    List<UUID> connections =
        jdbc.sql(
                """
            update connections c set deleted_at = ? from connection_templates t
            where c.connection_template_id = t.id and t.deleted_at is not null and c.workspace_id = ? and c.deleted_at is null
            returning c.id""")
            .params(Timestamp.from(now), workspaceId)
            .query(UUID.class)
            .list();
    jdbc.sql(
            """
            update destinations d set deleted_at = ? from connection_templates t
            where d.connection_template_id = t.id and t.deleted_at is not null and d.workspace_id = ? and d.deleted_at is null""")
        .params(Timestamp.from(now), workspaceId)
        .update();
    return connections;
  }

  /**
   * Removes a deleted source's connections; destinations and the data in them stay.
   *
   * @return the connections removed
   */
  public List<UUID> softDeleteOfSource(UUID sourceId, Instant now) {
    return jdbc.sql(
            "update connections set deleted_at = ? where source_id = ? and deleted_at is null"
                + " returning id")
        .params(Timestamp.from(now), sourceId)
        .query(UUID.class)
        .list();
  }

  /**
   * Removes everything of a deleted workspace.
   *
   * @return the connections removed
   */
  public List<UUID> softDeleteOfWorkspace(UUID workspaceId, Instant now) {
    List<UUID> removed =
        jdbc.sql(
                "update connections set deleted_at = ? where workspace_id = ? and deleted_at is null"
                    + " returning id")
            .params(Timestamp.from(now), workspaceId)
            .query(UUID.class)
            .list();
    jdbc.sql("update destinations set deleted_at = ? where workspace_id = ? and deleted_at is null")
        .params(Timestamp.from(now), workspaceId)
        .update();
    return removed;
  }

  private ConnectionRecord connection(ResultSet rs, int row) throws SQLException {
    Timestamp requested = rs.getTimestamp("sync_requested_at");
    return new ConnectionRecord(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getObject("workspace_id", UUID.class),
        rs.getObject("source_id", UUID.class),
        rs.getObject("destination_id", UUID.class),
        rs.getObject("connection_template_id", UUID.class),
        rs.getString("status"),
        rs.getString("cron_expression"),
        rs.getString("cron_time_zone"),
        requested == null ? null : requested.toInstant(),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        Optional.ofNullable(rs.getTimestamp("next_sync_at")).map(Timestamp::toInstant).orElse(null),
        rs.getString("paused_by"));
  }

  private DestinationRecord destination(ResultSet rs, int row) throws SQLException {
    return new DestinationRecord(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getObject("workspace_id", UUID.class),
        rs.getObject("connection_template_id", UUID.class),
        rs.getObject("definition_id", UUID.class),
        rs.getString("name"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
