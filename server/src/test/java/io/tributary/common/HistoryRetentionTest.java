package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.EventLog;
import io.tributary.testing.LifecycleDatabase;
import io.tributary.testing.SettableClock;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The history retention on a real PostgreSQL: events past it go with their webhook deliveries and
 * attempts unless a delivery is still to be made, a large backlog goes in batches within one run,
 * and a retention of 0 keeps everything.
 */
class HistoryRetentionTest {

  private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

  private static LifecycleDatabase database;

  @BeforeAll
  static void migrate() {
    database = new LifecycleDatabase();
  }

  private final SettableClock clock = new SettableClock(NOW);
  private final EventLog events = new EventLog(database.jdbc, JsonMapper.builder().build(), clock);
  private final LifecycleDatabase.Tenant tenant = database.tenant(null);
  private final UUID endpoint = endpoint();

  @Test
  void oldEventsGoWithTheirFinishedDeliveriesButOneStillToBeDeliveredStays() {
    UUID delivered = event(days(100));
    UUID delivery = delivery(delivered, "delivered");
    attempt(delivery);
    UUID failed = event(days(95));
    attempt(delivery(failed, "failed"));
    UUID undelivered = event(days(200));
    delivery(undelivered, "pending");
    UUID recent = event(days(10));
    delivery(recent, "delivered");
    UUID unrouted = event(days(91));

    List<Integer> deleted = retention(Duration.ofDays(90)).pruneNow();

    assertThat(deleted).containsExactly(3);
    assertThat(count("events", delivered)).isZero();
    assertThat(count("events", failed)).isZero();
    assertThat(count("events", unrouted)).isZero();
    assertThat(count("webhook_deliveries where event_id = ?", delivered)).isZero();
    assertThat(count("webhook_attempts where delivery_id = ?", delivery)).isZero();
    assertThat(count("events", undelivered)).as("its delivery is still to be made").isOne();
    assertThat(count("webhook_deliveries where event_id = ?", undelivered)).isOne();
    assertThat(count("events", recent)).isOne();
  }

  @Test
  void aBacklogLargerThanABatchGoesInOneRunAndZeroKeepsEverything() {
    int backlog = HistoryRetention.BATCH * 2 + 17;
    database
        .jdbc
        .sql(
            """
            insert into events (id, organization_id, workspace_id, type, data, created_at)
            select gen_random_uuid(), ?, ?, 'connection.sync_succeeded', '{}', ? from generate_series(1, ?)""")
        .params(tenant.organizationId(), tenant.workspaceId(), Timestamp.from(days(400)), backlog)
        .update();

    assertThat(retention(Duration.ZERO).pruneNow()).containsExactly(0);
    assertThat(oldEvents()).isGreaterThanOrEqualTo(backlog);

    retention(Duration.ofDays(30)).pruneNow();
    assertThat(oldEvents()).isZero();
  }

  @Test
  void aRetentionShorterThanADayIsRefused() {
    assertThatThrownBy(() -> retention(Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tributary.history-retention");
    assertThatThrownBy(() -> retention(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private HistoryRetention retention(Duration retention) {
    return new HistoryRetention(List.of(events), retention, clock);
  }

  private static Instant days(int ago) {
    return NOW.minus(Duration.ofDays(ago));
  }

  private UUID event(Instant at) {
    UUID id = UUID.randomUUID();
    database
        .jdbc
        .sql(
            "insert into events (id, organization_id, workspace_id, type, data, created_at)"
                + " values (?, ?, ?, 'connection.sync_succeeded', '{}', ?)")
        .params(id, tenant.organizationId(), tenant.workspaceId(), Timestamp.from(at))
        .update();
    return id;
  }

  private UUID endpoint() {
    UUID id = UUID.randomUUID();
    database
        .jdbc
        .sql(
            "insert into webhook_endpoints (id, organization_id, url, events, secret, created_at, updated_at)"
                + " values (?, ?, 'https://hooks.example.com/t', '[\"*\"]', '\\x00', now(), now())")
        .params(id, tenant.organizationId())
        .update();
    return id;
  }

  private UUID delivery(UUID event, String status) {
    UUID id = UUID.randomUUID();
    database
        .jdbc
        .sql(
            "insert into webhook_deliveries (id, organization_id, endpoint_id, event_id, status, next_attempt_at, created_at)"
                + " values (?, ?, ?, ?, ?, now(), now())")
        .params(id, tenant.organizationId(), endpoint, event, status)
        .update();
    return id;
  }

  private void attempt(UUID delivery) {
    database
        .jdbc
        .sql(
            "insert into webhook_attempts (delivery_id, attempt, attempted_at, response_code, duration_ms)"
                + " values (?, 1, now(), 200, 12)")
        .param(delivery)
        .update();
  }

  private int count(String table, UUID id) {
    String where = table.contains(" where ") ? table : table + " where id = ?";
    return database
        .jdbc
        .sql("select count(*) from " + where)
        .param(id)
        .query(Integer.class)
        .single();
  }

  private int oldEvents() {
    return database
        .jdbc
        .sql("select count(*) from events where organization_id = ? and created_at < ?")
        .params(tenant.organizationId(), Timestamp.from(days(300)))
        .query(Integer.class)
        .single();
  }
}
