package io.tributary.organization;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class OrganizationRepository {

  private static final String COLUMNS =
      "id, name, rate_limit_per_hour, scoped_token_ttl_seconds, min_sync_interval_seconds, max_concurrent_syncs, created_at";

  private final JdbcClient jdbc;

  OrganizationRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Organization> findById(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from organizations where id = ?")
        .param(id)
        .query(this::map)
        .optional();
  }

  public Optional<Organization> findByName(String name) {
    return jdbc.sql("select " + COLUMNS + " from organizations where name = ?")
        .param(name)
        .query(this::map)
        .optional();
  }

  public List<Organization> findAll() {
    return jdbc.sql("select " + COLUMNS + " from organizations order by created_at, id")
        .query(this::map)
        .list();
  }

  public boolean any() {
    return jdbc.sql("select exists (select 1 from organizations)").query(Boolean.class).single();
  }

  void insert(Organization organization) {
    jdbc.sql(
            """
            insert into organizations (id, name, rate_limit_per_hour, scoped_token_ttl_seconds,
                min_sync_interval_seconds, created_at)
            values (?, ?, ?, ?, ?, ?)""")
        .params(
            organization.id(),
            organization.name(),
            organization.rateLimitPerHour(),
            organization.scopedTokenTtlSeconds(),
            organization.minSyncIntervalSeconds(),
            Timestamp.from(organization.createdAt()))
        .update();
  }

  void updateLimits(UUID id, LimitsChange change) {
    if (change.limits().isEmpty()) {
      return;
    }
    List<Object> params = new ArrayList<>(change.limits().values());
    params.add(id);
    jdbc.sql(
            "update organizations set "
                + change.limits().keySet().stream()
                    .map(limit -> limit.column() + " = ?")
                    .collect(Collectors.joining(", "))
                + " where id = ?")
        .params(params)
        .update();
  }

  private Organization map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Organization(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        (Integer) rs.getObject("rate_limit_per_hour"),
        (Integer) rs.getObject("scoped_token_ttl_seconds"),
        (Integer) rs.getObject("min_sync_interval_seconds"),
        (Integer) rs.getObject("max_concurrent_syncs"),
        instant(rs.getTimestamp("created_at")));
  }

  static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
