package io.tributary.workspace;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class WorkspaceRepository {

  private static final String COLUMNS =
      "id, organization_id, name, region_id, status, token_generation, created_at, updated_at";

  private final JdbcClient jdbc;

  WorkspaceRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A live (not deleted) workspace. */
  public Optional<Workspace> findLive(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from workspaces where id = ? and deleted_at is null")
        .param(id)
        .query(this::map)
        .optional();
  }

  public Optional<Workspace> findLive(UUID organizationId, UUID id) {
    return jdbc.sql("select " + COLUMNS + " from workspaces where id = ? and organization_id = ? and deleted_at is null")
        .params(id, organizationId)
        .query(this::map)
        .optional();
  }

  /**
   * The live workspace with this name, created when missing. One statement claims the name through the
   * partial unique index, so concurrent calls for a new name create exactly one workspace.
   */
  public Workspace getOrCreate(UUID organizationId, String name, Region region, Instant now) {
    jdbc.sql("""
            insert into workspaces (id, organization_id, name, region_id, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?)
            on conflict (organization_id, name) where deleted_at is null do nothing""")
        .params(UUID.randomUUID(), organizationId, name, region.id(), Timestamp.from(now), Timestamp.from(now))
        .update();
    return jdbc.sql("select " + COLUMNS + " from workspaces where organization_id = ? and name = ? and deleted_at is null")
        .params(organizationId, name)
        .query(this::map)
        .single();
  }

  /** Invalidates every scoped and widget token issued for the workspace so far. */
  public boolean revokeTokens(UUID organizationId, UUID id, Instant now) {
    return jdbc.sql("""
            update workspaces set token_generation = token_generation + 1, updated_at = ?
            where id = ? and organization_id = ? and deleted_at is null""")
            .params(Timestamp.from(now), id, organizationId)
            .update()
        == 1;
  }

  private Workspace map(ResultSet rs, int row) throws SQLException {
    return new Workspace(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getString("name"),
        rs.getObject("region_id", UUID.class),
        rs.getString("status"),
        rs.getInt("token_generation"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
