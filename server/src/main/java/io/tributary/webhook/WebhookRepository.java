package io.tributary.webhook;

import io.tributary.common.PageRequest;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Webhook endpoints, their deliveries (the outbox) and each delivery's attempts. */
@Repository
class WebhookRepository {

  private static final String ENDPOINT_COLUMNS =
      "id, organization_id, url, description, events::text as events, enabled, disabled_reason,"
          + " secret, previous_secret, previous_secret_expires_at, created_at, updated_at";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  WebhookRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  // --- endpoints

  void insert(WebhookEndpoint endpoint) {
    jdbc.sql(
            """
            insert into webhook_endpoints (id, organization_id, url, description, events, enabled, secret,
                created_at, updated_at)
            values (?, ?, ?, ?, ?::jsonb, true, ?, ?, ?)""")
        .params(
            endpoint.id(),
            endpoint.organizationId(),
            endpoint.url(),
            endpoint.description(),
            json.writeValueAsString(endpoint.events()),
            endpoint.secret(),
            Timestamp.from(endpoint.createdAt()),
            Timestamp.from(endpoint.updatedAt()))
        .update();
  }

  Optional<WebhookEndpoint> find(UUID organizationId, UUID id) {
    return jdbc.sql(
            "select "
                + ENDPOINT_COLUMNS
                + " from webhook_endpoints where id = ? and organization_id = ? and deleted_at is null")
        .params(id, organizationId)
        .query(this::mapEndpoint)
        .optional();
  }

  /**
   * The endpoint, locked until the transaction ends: a change read from it and written back cannot
   * undo another made meanwhile (a rotation, an automatic disable).
   */
  Optional<WebhookEndpoint> lock(UUID organizationId, UUID id) {
    return jdbc.sql(
            "select "
                + ENDPOINT_COLUMNS
                + " from webhook_endpoints where id = ? and organization_id = ? and deleted_at is null"
                // not a key lock: deliveries being added for the endpoint need not wait for it
                + " for no key update")
        .params(id, organizationId)
        .query(this::mapEndpoint)
        .optional();
  }

  /**
   * Disables an enabled endpoint, touching nothing else of it.
   *
   * @return the endpoint as disabled, or empty when it was disabled or deleted already
   */
  Optional<WebhookEndpoint> disable(UUID id, String reason, Instant now) {
    return jdbc.sql(
            "update webhook_endpoints set enabled = false, disabled_reason = ?, updated_at = ?"
                + " where id = ? and enabled and deleted_at is null returning "
                + ENDPOINT_COLUMNS)
        .params(reason, Timestamp.from(now), id)
        .query(this::mapEndpoint)
        .optional();
  }

  List<WebhookEndpoint> page(UUID organizationId, PageRequest page) {
    List<Object> params = new ArrayList<>(List.of(organizationId));
    StringBuilder sql =
        new StringBuilder(
            "select "
                + ENDPOINT_COLUMNS
                + " from webhook_endpoints where organization_id = ? and deleted_at is null");
    page.appendTo(sql, params, PageRequest.Order.OLDEST_FIRST);
    return jdbc.sql(sql.toString()).params(params).query(this::mapEndpoint).list();
  }

  void update(WebhookEndpoint endpoint) {
    jdbc.sql(
            """
            update webhook_endpoints set url = ?, description = ?, events = ?::jsonb, enabled = ?, disabled_reason = ?,
                secret = ?, previous_secret = ?, previous_secret_expires_at = ?, updated_at = ?
            where id = ? and deleted_at is null""")
        .params(
            endpoint.url(),
            endpoint.description(),
            json.writeValueAsString(endpoint.events()),
            endpoint.enabled(),
            endpoint.disabledReason(),
            endpoint.secret(),
            endpoint.previousSecret(),
            endpoint.previousSecretExpiresAt() == null
                ? null
                : Timestamp.from(endpoint.previousSecretExpiresAt()),
            Timestamp.from(endpoint.updatedAt()),
            endpoint.id())
        .update();
  }

  boolean softDelete(UUID organizationId, UUID id, Instant now) {
    boolean deleted =
        jdbc.sql(
                    "update webhook_endpoints set deleted_at = ?, enabled = false where id = ?"
                        + " and organization_id = ? and deleted_at is null")
                .params(Timestamp.from(now), id, organizationId)
                .update()
            == 1;
    if (deleted) {
      jdbc.sql(
              "update webhook_deliveries set status = 'failed', last_error = 'the endpoint was deleted'"
                  + " where endpoint_id = ? and status = 'pending'")
          .param(id)
          .update();
    }
    return deleted;
  }

  /**
   * Whether every attempt at the endpoint has failed since {@code since} or earlier: an attempt
   * made at or before {@code since} failed, and none succeeded after it. A success long ago and one
   * day of failures is not that.
   */
  boolean failingSince(UUID endpointId, Instant since) {
    return jdbc.sql(
            """
            with last_success as (
              select coalesce(max(last_attempt_at), '-infinity') as at from webhook_deliveries
              where endpoint_id = ? and status = 'delivered')
            select exists (
              select 1 from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
              where d.endpoint_id = ? and a.attempted_at <= ?
                and a.attempted_at > (select at from last_success))""")
        .params(endpointId, endpointId, Timestamp.from(since))
        .query(Boolean.class)
        .single();
  }

  // --- deliveries

  /** A delivery claimed for an attempt, with what it sends and where. */
  record Claimed(
      UUID id,
      UUID organizationId,
      UUID endpointId,
      UUID eventId,
      int attempt,
      String eventType,
      JsonNode eventData,
      Instant eventCreatedAt) {}

  /**
   * Claims due deliveries for {@code node}: pending ones whose time came, and ones whose claim ran
   * out (their node died mid-attempt). Each counts an attempt; skip locked hands each to one node.
   * One whose claim ran out on its last attempt ({@code attempts} of them made) is failed instead.
   *
   * <p>Endpoints take turns: every endpoint's oldest due delivery comes before any endpoint's
   * second, and so on, and an endpoint has at most {@code perEndpoint} deliveries on their way at
   * once (across nodes, but for two claiming at the same moment). An endpoint that answers slowly
   * or not at all, with a backlog, cannot hold the slots while other organizations' events wait.
   */
  List<Claimed> claimDue(
      String node, Instant now, Instant claimUntil, int limit, int attempts, int perEndpoint) {
    jdbc.sql(
            """
            update webhook_deliveries set status = 'failed', claimed_by = null, claimed_until = null,
                last_error = 'the last attempt never finished'
            where id in (select id from webhook_deliveries
                         where status = 'delivering' and claimed_until < ? and attempts >= ?
                         for update skip locked)""")
        .params(Timestamp.from(now), attempts)
        .update();
    return jdbc.sql(
            """
            with in_flight as (
                select endpoint_id, count(*) as deliveries from webhook_deliveries
                where status = 'delivering' and claimed_until >= ? group by endpoint_id),
            due as (
                select d.id, d.next_attempt_at,
                       row_number() over (partition by e.id order by d.next_attempt_at) + coalesce(f.deliveries, 0)
                           as place
                from webhook_endpoints e
                left join in_flight f on f.endpoint_id = e.id
                cross join lateral (
                    select id, next_attempt_at from webhook_deliveries
                    where endpoint_id = e.id
                      and ((status = 'pending' and next_attempt_at <= ?)
                           or (status = 'delivering' and claimed_until < ? and attempts < ?))
                    order by next_attempt_at limit ?) d
                where e.deleted_at is null),
            -- the conditions again, on the row as locked: one another node claimed since this
            -- statement began is no longer due, and skip locked passes over one it holds
            claimable as (
                select w.id from webhook_deliveries w join due on due.id = w.id
                where due.place <= ?
                  and ((w.status = 'pending' and w.next_attempt_at <= ?)
                       or (w.status = 'delivering' and w.claimed_until < ? and w.attempts < ?))
                order by due.place, due.next_attempt_at
                limit ? for update of w skip locked),
            claimed as (
                update webhook_deliveries d set status = 'delivering', claimed_by = ?, claimed_until = ?,
                    attempts = attempts + 1
                where d.id in (select id from claimable)
                returning d.id, d.organization_id, d.endpoint_id, d.event_id, d.attempts)
            select c.id, c.organization_id, c.endpoint_id, c.event_id, c.attempts, e.type, e.data::text as data,
                   e.created_at
            from claimed c join events e on e.id = c.event_id""")
        .params(
            Timestamp.from(now),
            Timestamp.from(now),
            Timestamp.from(now),
            attempts,
            perEndpoint,
            perEndpoint,
            Timestamp.from(now),
            Timestamp.from(now),
            attempts,
            limit,
            node,
            Timestamp.from(claimUntil))
        .query(
            (rs, row) ->
                new Claimed(
                    rs.getObject("id", UUID.class),
                    rs.getObject("organization_id", UUID.class),
                    rs.getObject("endpoint_id", UUID.class),
                    rs.getObject("event_id", UUID.class),
                    rs.getInt("attempts"),
                    rs.getString("type"),
                    json.readTree(rs.getString("data")),
                    rs.getTimestamp("created_at").toInstant()))
        .list();
  }

  Optional<WebhookEndpoint> endpoint(UUID id) {
    return jdbc.sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoints where id = ?")
        .param(id)
        .query(this::mapEndpoint)
        .optional();
  }

  /**
   * Records an attempt and moves the delivery on: delivered, pending again at {@code retryAt}, or
   * failed when {@code retryAt} is null. Only the node holding the claim moves it.
   */
  boolean finishAttempt(
      Claimed delivery,
      String node,
      boolean delivered,
      Integer responseCode,
      String error,
      Instant attemptedAt,
      long durationMillis,
      Instant retryAt) {
    jdbc.sql(
            "insert into webhook_attempts (delivery_id, attempt, attempted_at, response_code, error,"
                + " duration_ms) values (?, ?, ?, ?, ?, ?) on conflict do nothing")
        .params(
            delivery.id(),
            delivery.attempt(),
            Timestamp.from(attemptedAt),
            responseCode,
            error,
            (int) Math.min(Integer.MAX_VALUE, durationMillis))
        .update();
    String status = delivered ? "delivered" : retryAt == null ? "failed" : "pending";
    return jdbc.sql(
                """
                update webhook_deliveries set status = ?, next_attempt_at = coalesce(?, next_attempt_at),
                    last_attempt_at = ?, last_response_code = ?, last_error = ?, claimed_by = null, claimed_until = null
                where id = ? and claimed_by = ? and status = 'delivering'""")
            .params(
                status,
                retryAt == null ? null : Timestamp.from(retryAt),
                Timestamp.from(attemptedAt),
                responseCode,
                error,
                delivery.id(),
                node)
            .update()
        == 1;
  }

  /** Sends a delivery again now (after it failed, or sooner than its backoff). */
  boolean retryNow(UUID organizationId, UUID endpointId, UUID deliveryId, Instant now) {
    return jdbc.sql(
                """
                update webhook_deliveries set status = 'pending', next_attempt_at = ?
                where id = ? and endpoint_id = ? and organization_id = ? and status in ('pending', 'failed')""")
            .params(Timestamp.from(now), deliveryId, endpointId, organizationId)
            .update()
        == 1;
  }

  boolean deliveryExists(UUID organizationId, UUID endpointId, UUID deliveryId) {
    return jdbc.sql(
            "select exists (select 1 from webhook_deliveries where id = ? and endpoint_id = ?"
                + " and organization_id = ?)")
        .params(deliveryId, endpointId, organizationId)
        .query(Boolean.class)
        .single();
  }

  /** A delivery of one event to one endpoint only (a test event). */
  UUID insertDelivery(UUID organizationId, UUID endpointId, UUID eventId, Instant now) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            insert into webhook_deliveries (id, organization_id, endpoint_id, event_id, status, next_attempt_at, created_at)
            values (?, ?, ?, ?, 'pending', ?, ?)""")
        .params(id, organizationId, endpointId, eventId, Timestamp.from(now), Timestamp.from(now))
        .update();
    return id;
  }

  List<WebhookDelivery> deliveries(UUID endpointId, PageRequest page) {
    List<Object> params = new ArrayList<>(List.of(endpointId));
    StringBuilder sql =
        new StringBuilder(
            """
            select * from (select d.id, d.event_id, e.type as event_type, d.status, d.attempts, d.next_attempt_at,
                d.last_attempt_at, d.last_response_code, d.last_error, d.created_at
            from webhook_deliveries d join events e on e.id = d.event_id where d.endpoint_id = ?) deliveries where true""");
    page.appendTo(sql, params, PageRequest.Order.NEWEST_FIRST);
    List<WebhookDelivery> found =
        jdbc.sql(sql.toString())
            .params(params)
            .query(
                (rs, row) ->
                    new WebhookDelivery(
                        rs.getObject("id", UUID.class),
                        rs.getObject("event_id", UUID.class),
                        rs.getString("event_type"),
                        rs.getString("status"),
                        rs.getInt("attempts"),
                        instant(rs.getTimestamp("next_attempt_at")),
                        instant(rs.getTimestamp("last_attempt_at")),
                        (Integer) rs.getObject("last_response_code"),
                        rs.getString("last_error"),
                        List.of(),
                        rs.getTimestamp("created_at").toInstant()))
            .list();
    return found.stream().map(d -> d.withAttempts(attempts(d.id()))).toList();
  }

  private List<WebhookDelivery.Attempt> attempts(UUID deliveryId) {
    return jdbc.sql(
            "select attempt, attempted_at, response_code, error, duration_ms from webhook_attempts"
                + " where delivery_id = ? order by attempt")
        .param(deliveryId)
        .query(
            (rs, row) ->
                new WebhookDelivery.Attempt(
                    rs.getInt("attempt"),
                    rs.getTimestamp("attempted_at").toInstant(),
                    (Integer) rs.getObject("response_code"),
                    rs.getString("error"),
                    rs.getInt("duration_ms")))
        .list();
  }

  private WebhookEndpoint mapEndpoint(ResultSet rs, int row) throws SQLException {
    return new WebhookEndpoint(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getString("url"),
        rs.getString("description"),
        List.of(json.readValue(rs.getString("events"), String[].class)),
        rs.getBoolean("enabled"),
        rs.getString("disabled_reason"),
        rs.getBytes("secret"),
        rs.getBytes("previous_secret"),
        instant(rs.getTimestamp("previous_secret_expires_at")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
