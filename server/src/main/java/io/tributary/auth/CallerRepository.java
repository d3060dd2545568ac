package io.tributary.auth;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Whether a verified token's holder still exists, read in one statement per request. */
@Repository
class CallerRepository {

  private final JdbcClient jdbc;

  CallerRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The organization's rate limit override (or -1) when the application is active. */
  Optional<Integer> activeApplication(UUID organizationId, UUID applicationId) {
    return jdbc.sql(
            """
            select coalesce(o.rate_limit_per_hour, -1)
            from applications a join organizations o on o.id = a.organization_id
            where a.id = ? and a.organization_id = ? and a.revoked_at is null""")
        .params(applicationId, organizationId)
        .query(Integer.class)
        .optional();
  }

  /**
   * The live workspace a scoped token of this generation names, with its organization's limit
   * override.
   */
  Optional<WorkspaceHolder> liveWorkspace(UUID organizationId, UUID workspaceId, int generation) {
    return jdbc.sql(
            """
            select w.name, coalesce(o.rate_limit_per_hour, -1) as rate_limit
            from workspaces w join organizations o on o.id = w.organization_id
            where w.id = ? and w.organization_id = ? and w.deleted_at is null and w.token_generation = ?""")
        .params(workspaceId, organizationId, generation)
        .query((rs, row) -> new WorkspaceHolder(rs.getString("name"), rs.getInt("rate_limit")))
        .optional();
  }

  record WorkspaceHolder(String name, int rateLimit) {}
}
