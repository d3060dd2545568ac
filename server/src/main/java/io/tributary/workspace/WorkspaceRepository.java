package io.tributary.workspace;

import io.tributary.common.PageRequest;
import io.tributary.event.EventLog;
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
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Repository
public class WorkspaceRepository {

  private static final String COLUMNS =
      "id, organization_id, name, region_id, status, token_generation, created_at, updated_at";

  private final JdbcClient jdbc;
  private final EventLog events;

  WorkspaceRepository(JdbcClient jdbc, EventLog events) {
    this.events = events;
    this.jdbc = jdbc;
  }

  public Optional<Workspace> findLive(UUID organizationId, UUID id) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from workspaces where id = ? and organization_id = ? and deleted_at is null")
        .params(id, organizationId)
        .query(this::map)
        .optional();
  }

  /**
   * The live workspace with this name, created when missing. One statement claims the name through
   * the partial unique index, so concurrent calls for a new name create exactly one workspace; one
   * deleted between that statement and the read is created again.
   */
  @Transactional
  public Workspace getOrCreate(UUID organizationId, String name, Region region, Instant now) {
    while (true) {
      Optional<Workspace> workspace = tryGetOrCreate(organizationId, name, region, now);
      if (workspace.isPresent()) {
        return workspace.get();
      }
    }
  }

  private Optional<Workspace> tryGetOrCreate(
      UUID organizationId, String name, Region region, Instant now) {
    int created =
        jdbc.sql(
                """
            insert into workspaces (id, organization_id, name, region_id, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?)
            on conflict (organization_id, name) where deleted_at is null do nothing""")
            .params(
                UUID.randomUUID(),
                organizationId,
                name,
                region.id(),
                Timestamp.from(now),
                Timestamp.from(now))
            .update();
    Optional<Workspace> workspace =
        jdbc.sql(
                "select "
                    + COLUMNS
                    + " from workspaces where organization_id = ? and name = ? and deleted_at is null")
            .params(organizationId, name)
            .query(this::map)
            .optional();
    if (created == 1) {
      workspace.ifPresent(
          w -> events.record(organizationId, w.id(), "workspace.created", eventData(w)));
    }
    return workspace;
  }

  /** What events about a workspace say. */
  static ObjectNode eventData(Workspace workspace) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("workspace_id", workspace.id().toString())
        .put("name", workspace.name());
  }

  /** One page in (created_at, id) order, continuing after the cursor's row. */
  List<Workspace> page(
      UUID organizationId, String nameContains, WorkspaceStatus status, PageRequest page) {
    StringBuilder sql =
        new StringBuilder(
            "select "
                + COLUMNS
                + " from workspaces where organization_id = ? and deleted_at is null");
    List<Object> params = new ArrayList<>(List.of(organizationId));
    if (nameContains != null && !nameContains.isEmpty()) {
      sql.append(" and name ilike ? escape '\\'");
      params.add(
          "%" + nameContains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
    if (status != null) {
      sql.append(" and status = ?");
      params.add(status.value());
    }
    page.appendTo(sql, params, PageRequest.Order.OLDEST_FIRST);
    return jdbc.sql(sql.toString()).params(params).query(this::map).list();
  }

  List<Workspace> allLive(UUID organizationId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from workspaces where organization_id = ? and deleted_at is null order by created_at, id")
        .param(organizationId)
        .query(this::map)
        .list();
  }

  WorkspaceStats stats(UUID organizationId) {
    return jdbc.sql(
            """
            select count(*) filter (where status = 'active') as active_count,
                   count(*) filter (where status = 'inactive') as inactive_count,
                   count(*) as total_count
            from workspaces where organization_id = ? and deleted_at is null""")
        .param(organizationId)
        .query(
            (rs, row) ->
                new WorkspaceStats(
                    rs.getLong("active_count"),
                    rs.getLong("inactive_count"),
                    rs.getLong("total_count")))
        .single();
  }

  /** Whether another live workspace of the organization already has this name. */
  boolean nameTaken(UUID organizationId, String name, UUID except) {
    return jdbc.sql(
            "select exists (select 1 from workspaces where organization_id = ? and name = ? and id <> ? and deleted_at is null)")
        .params(organizationId, name, except)
        .query(Boolean.class)
        .single();
  }

  /**
   * Renames or (de)activates; deactivating moves the token generation, so the workspace's tokens
   * die as on a revocation (SPEC §3).
   */
  void update(UUID id, String name, WorkspaceStatus status, Instant now) {
    jdbc.sql(
            """
            update workspaces set name = ?, status = ?, updated_at = ?,
                token_generation = token_generation
                    + case when status <> 'inactive' and ? = 'inactive' then 1 else 0 end
            where id = ? and deleted_at is null""")
        .params(name, status.value(), Timestamp.from(now), status.value(), id)
        .update();
  }

  /** Soft-deletes; the token generation moves too, so the workspace's tokens die with it. */
  boolean softDelete(UUID organizationId, UUID id, Instant now) {
    return jdbc.sql(
                """
            update workspaces set deleted_at = ?, updated_at = ?, token_generation = token_generation + 1
            where id = ? and organization_id = ? and deleted_at is null""")
            .params(Timestamp.from(now), Timestamp.from(now), id, organizationId)
            .update()
        == 1;
  }

  /** Invalidates every scoped and widget token issued for the workspace so far. */
  public boolean revokeTokens(UUID organizationId, UUID id, Instant now) {
    return jdbc.sql(
                """
            update workspaces set token_generation = token_generation + 1, updated_at = ?
            where id = ? and organization_id = ? and deleted_at is null""")
            .params(Timestamp.from(now), id, organizationId)
            .update()
        == 1;
  }

  private Workspace map(ResultSet rs, int row) throws SQLException {
    return new Workspace(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getObject("organization_id", UUID.class),
        rs.getObject("region_id", UUID.class),
        WorkspaceStatus.valueOf(rs.getString("status").toUpperCase()),
        rs.getInt("token_generation"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  record WorkspaceStats(long activeCount, long inactiveCount, long totalCount) {}
}
