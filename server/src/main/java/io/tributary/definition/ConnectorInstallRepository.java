package io.tributary.definition;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The installs the admin asked for, with their status and log. */
@Repository
class ConnectorInstallRepository {

  /** The log keeps its last this many characters: pip can be talkative. */
  private static final int LOG_LIMIT = 64_000;

  private final JdbcClient jdbc;

  ConnectorInstallRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  ConnectorInstall create(String name, String version, UUID definitionId, Instant now) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into connector_installs (id, name, version, definition_id, status, created_at)"
                + " values (?, ?, ?, ?, 'pending', ?)")
        .params(id, name, version, definitionId, Timestamp.from(now))
        .update();
    return find(id).orElseThrow();
  }

  Optional<ConnectorInstall> find(UUID id) {
    return jdbc.sql(
            "select id, name, version, definition_id, status, log, failure_reason, created_at,"
                + " finished_at from connector_installs where id = ?")
        .param(id)
        .query(this::map)
        .optional();
  }

  void running(UUID id) {
    jdbc.sql("update connector_installs set status = 'running' where id = ? and status = 'pending'")
        .param(id)
        .update();
  }

  void log(UUID id, String lines) {
    jdbc.sql("update connector_installs set log = right(log || ?, ?) where id = ?")
        .params(lines, LOG_LIMIT, id)
        .update();
  }

  void succeeded(UUID id, UUID definitionId, Instant now) {
    jdbc.sql(
            "update connector_installs set status = 'succeeded', definition_id = ?, finished_at = ?"
                + " where id = ?")
        .params(definitionId, Timestamp.from(now), id)
        .update();
  }

  void failed(UUID id, String reason, Instant now) {
    jdbc.sql(
            "update connector_installs set status = 'failed', failure_reason = ?, finished_at = ?"
                + " where id = ? and status in ('pending', 'running')")
        .params(reason, Timestamp.from(now), id)
        .update();
  }

  /**
   * Installs a stopped node left unfinished; they will not finish now, and say so.
   *
   * @return how many there were
   */
  int failUnfinished(Instant before, Instant now) {
    return jdbc.sql(
            "update connector_installs set status = 'failed', finished_at = ?, failure_reason ="
                + " 'Interrupted: the server stopped during the install' where status in"
                + " ('pending', 'running') and created_at < ?")
        .params(Timestamp.from(now), Timestamp.from(before))
        .update();
  }

  private ConnectorInstall map(ResultSet rs, int row) throws SQLException {
    Timestamp finished = rs.getTimestamp("finished_at");
    return new ConnectorInstall(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getString("version"),
        rs.getObject("definition_id", UUID.class),
        rs.getString("status"),
        rs.getString("log"),
        rs.getString("failure_reason"),
        rs.getTimestamp("created_at").toInstant(),
        finished == null ? null : finished.toInstant());
  }
}
