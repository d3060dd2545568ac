package io.tributary.organization;

import static io.tributary.organization.OrganizationRepository.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ApplicationRepository {

  private static final String COLUMNS =
      "id, organization_id, name, client_id, created_at, revoked_at";

  private final JdbcClient jdbc;

  ApplicationRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The active application with this client id and its secret hash. */
  public Optional<Credentials> findActiveCredentials(String clientId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + ", client_secret_hash from applications where client_id = ? and revoked_at is null")
        .param(clientId)
        .query((rs, row) -> new Credentials(map(rs, row), rs.getString("client_secret_hash")))
        .optional();
  }

  public boolean isActive(UUID id, UUID organizationId) {
    return jdbc.sql(
            "select exists (select 1 from applications where id = ? and organization_id = ? and revoked_at is null)")
        .params(id, organizationId)
        .query(Boolean.class)
        .single();
  }

  public Optional<Application> findById(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from applications where id = ?")
        .param(id)
        .query(this::map)
        .optional();
  }

  public Optional<Application> findByClientId(String clientId) {
    return jdbc.sql("select " + COLUMNS + " from applications where client_id = ?")
        .param(clientId)
        .query(this::map)
        .optional();
  }

  public List<Application> findByOrganization(UUID organizationId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from applications where organization_id = ? order by created_at, id")
        .param(organizationId)
        .query(this::map)
        .list();
  }

  void insert(Application application, String secretHash) {
    jdbc.sql(
            """
            insert into applications (id, organization_id, name, client_id, client_secret_hash, created_at)
            values (?, ?, ?, ?, ?, ?)""")
        .params(
            application.id(),
            application.organizationId(),
            application.name(),
            application.clientId(),
            secretHash,
            Timestamp.from(application.createdAt()))
        .update();
  }

  boolean revoke(UUID id, Instant at) {
    return jdbc.sql("update applications set revoked_at = ? where id = ? and revoked_at is null")
            .params(Timestamp.from(at), id)
            .update()
        == 1;
  }

  private Application map(ResultSet rs, int row) throws SQLException {
    return new Application(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getString("name"),
        rs.getString("client_id"),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("revoked_at")));
  }

  public record Credentials(Application application, String secretHash) {}
}
