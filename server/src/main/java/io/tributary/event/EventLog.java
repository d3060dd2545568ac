package io.tributary.event;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What happened, for the operator (SPEC §16): each event is written in the transaction of the
 * change it reports (an outbox), so a node that dies loses none and none reports a change that was
 * rolled back. Event data never holds a secret.
 */
@Repository
public class EventLog {

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;

  EventLog(JdbcClient jdbc, JsonMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Records an event; must run inside the transaction of the change.
   *
   * @param type e.g. {@code source.credentials_invalid}
   * @param workspaceId the workspace it concerns, or null for the organization as a whole
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public UUID record(UUID organizationId, UUID workspaceId, String type, ObjectNode data) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into events (id, organization_id, workspace_id, type, data, created_at) "
                + "values (?, ?, ?, ?, ?::jsonb, ?)")
        .params(
            id,
            organizationId,
            workspaceId,
            type,
            json.writeValueAsString(data),
            Timestamp.from(clock.instant()))
        .update();
    return id;
  }
}
