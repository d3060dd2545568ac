package io.tributary.event;

import io.tributary.common.PrunableHistory;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
 * rolled back. Each event is also queued for every webhook endpoint of the organization that
 * subscribed to its type, in the same transaction. Event data never holds a secret. Past the
 * history retention an event goes with its deliveries, once none is still to be delivered.
 */
@Repository
public class EventLog implements PrunableHistory {

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;

  public EventLog(JdbcClient jdbc, JsonMapper json, Clock clock) {
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
    Timestamp now = Timestamp.from(clock.instant());
    // the outbox: one delivery per endpoint that wants it, written by the event's own statement
    jdbc.sql(
            """
            with event as (insert into events (id, organization_id, workspace_id, type, data, created_at)
                           values (?, ?, ?, ?, ?::jsonb, ?) returning id, organization_id, type, created_at)
            insert into webhook_deliveries (id, organization_id, endpoint_id, event_id, status, next_attempt_at, created_at)
            select gen_random_uuid(), w.organization_id, w.id, event.id, 'pending', event.created_at, event.created_at
            from event join webhook_endpoints w on w.organization_id = event.organization_id
            where w.enabled and w.deleted_at is null
              and (w.events @> '["*"]'::jsonb or w.events @> jsonb_build_array(event.type))""")
        .params(id, organizationId, workspaceId, type, json.writeValueAsString(data), now)
        .update();
    return id;
  }

  /** A workspace's newest events, newest first: type, time and data, as a webhook receives them. */
  public List<ObjectNode> recent(UUID organizationId, UUID workspaceId, int limit) {
    return jdbc.sql(
            "select type, created_at, data::text as data from events where organization_id = ?"
                + " and workspace_id = ? order by created_at desc, id limit ?")
        .params(organizationId, workspaceId, limit)
        .query(
            (rs, row) -> {
              ObjectNode event = json.createObjectNode();
              event.put("type", rs.getString("type"));
              event.put("timestamp", rs.getTimestamp("created_at").toInstant().toString());
              event.set("data", json.readTree(rs.getString("data")));
              return event;
            })
        .list();
  }

  /** Records an event without queueing it for any endpoint (one that is sent to one endpoint). */
  @Transactional(propagation = Propagation.MANDATORY)
  public UUID recordUnrouted(UUID organizationId, UUID workspaceId, String type, ObjectNode data) {
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    jdbc.sql(
            "insert into events (id, organization_id, workspace_id, type, data, created_at) "
                + "values (?, ?, ?, ?, ?::jsonb, ?)")
        .params(
            id,
            organizationId,
            workspaceId,
            type,
            json.writeValueAsString(data),
            Timestamp.from(now))
        .update();
    return id;
  }

  @Override
  public String what() {
    return "events and their webhook deliveries";
  }

  @Override
  public int prune(Instant before, int limit) {
    return jdbc.sql(
            """
            with doomed as (
              select e.id from events e
              where e.created_at < ? and not exists (
                select 1 from webhook_deliveries d where d.event_id = e.id and d.status in ('pending', 'delivering'))
              order by e.created_at limit ? for update of e skip locked),
            deliveries as (select id from webhook_deliveries where event_id in (select id from doomed)),
            attempts as (delete from webhook_attempts where delivery_id in (select id from deliveries)),
            deleted_deliveries as (delete from webhook_deliveries where id in (select id from deliveries))
            delete from events where id in (select id from doomed)""")
        .params(Timestamp.from(before), limit)
        .update();
  }
}
