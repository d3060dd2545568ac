package io.tributary.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.job.Lifecycle;
import io.tributary.testing.LifecycleDatabase;
import io.tributary.testing.SettableClock;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler driven by a settable clock and its "run due work now" hook, on a real PostgreSQL
 * without Spring: cron times, one run per due time, skipped runs, first syncs, all queued through
 * the job lifecycle's one entrance.
 */
class SyncSchedulerClockTest {

  private static LifecycleDatabase database;

  private final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private final Lifecycle lifecycle = new Lifecycle(database, clock);
  private final SyncScheduler scheduler =
      new SyncScheduler(
          new ScheduleRepository(database.jdbc), lifecycle.queue, database.transactions, clock);

  @BeforeAll
  static void migrate() {
    database = new LifecycleDatabase();
  }

  @Test
  void aDueConnectionIsQueuedOnceAtItsTimeAndARunThatFindsItSyncingIsSkipped() {
    var tenant = database.tenant("0 0 3 * * ?");
    UUID connection = database.connection(tenant);

    scheduler.runDueNow();
    assertThat(nextSyncAt(connection)).isEqualTo(Instant.parse("2026-06-02T03:00:00Z"));
    assertThat(jobs(connection)).as("nothing before it is due").isZero();

    clock.set(Instant.parse("2026-06-02T03:00:00Z"));
    scheduler.runDueNow();
    scheduler.runDueNow();
    assertThat(jobs(connection)).as("one run per due time").isEqualTo(1);
    assertThat(nextSyncAt(connection)).isEqualTo(Instant.parse("2026-06-03T03:00:00Z"));
    UUID first = onlyJob(connection);
    assertThat(
            database
                .jdbc
                .sql("select created_at from jobs where id = ?")
                .param(first)
                .query(Timestamp.class)
                .single()
                .toInstant())
        .as("queued at the clock's now")
        .isEqualTo(clock.instant());

    clock.set(Instant.parse("2026-06-03T03:00:02Z"));
    scheduler.runDueNow();
    assertThat(jobs(connection))
        .as("still pending: the next run is skipped, not doubled")
        .isEqualTo(1);
    assertThat(nextSyncAt(connection)).isEqualTo(Instant.parse("2026-06-04T03:00:00Z"));

    lifecycle.queue.cancel(first);
    clock.set(Instant.parse("2026-06-04T03:00:00Z"));
    scheduler.runDueNow();
    assertThat(jobs(connection)).isEqualTo(2);
  }

  @Test
  void aDailyRunIsNotRepeatedWhenTheClocksGoBack() {
    var tenant = database.tenant("0 30 1 * * ?");
    UUID connection = database.connection(tenant);
    database
        .jdbc
        .sql(
            "update connection_templates set cron_time_zone = 'America/New_York'"
                + " where id = (select connection_template_id from connections where id = ?)")
        .param(connection)
        .update();
    clock.set(Instant.parse("2026-10-31T12:00:00Z"));
    scheduler.runDueNow();
    assertThat(nextSyncAt(connection))
        .as("01:30 EDT")
        .isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));

    // the tick reaches the connection a few seconds late, inside the hour that comes twice
    clock.set(Instant.parse("2026-11-01T05:30:05Z"));
    scheduler.runDueNow();
    assertThat(jobs(connection)).isEqualTo(1);
    assertThat(nextSyncAt(connection))
        .as("the next day's 01:30, not the repeated 01:30 (EST) an hour later")
        .isEqualTo(Instant.parse("2026-11-02T06:30:00Z"));
  }

  @Test
  void inactiveWorkspacesAndConnectionsSkipTheirRunsAndKeepTheirSchedule() {
    var tenant = database.tenant("0 0 3 * * ?");
    UUID paused = database.connection(tenant);
    database
        .jdbc
        .sql("update connections set status = 'inactive' where id = ?")
        .param(paused)
        .update();
    scheduler.runDueNow();
    clock.set(Instant.parse("2026-06-02T03:00:00Z"));
    scheduler.runDueNow();
    assertThat(jobs(paused)).isZero();
    assertThat(nextSyncAt(paused)).isEqualTo(Instant.parse("2026-06-03T03:00:00Z"));

    UUID active = database.connection(tenant);
    database
        .jdbc
        .sql("update workspaces set status = 'inactive' where id = ?")
        .param(tenant.workspaceId())
        .update();
    scheduler.runDueNow();
    clock.set(Instant.parse("2026-06-03T03:00:00Z"));
    scheduler.runDueNow();
    assertThat(jobs(active)).as("an inactive workspace runs nothing").isZero();
    assertThat(nextSyncAt(active)).isEqualTo(Instant.parse("2026-06-04T03:00:00Z"));
  }

  @Test
  void aConnectionMadeWithSyncOnCreateGetsItsFirstSyncOnce() {
    var tenant = database.tenant(null);
    UUID connection = database.connection(tenant);
    database
        .jdbc
        .sql("update connections set sync_requested_at = ?, first_sync_pending = true where id = ?")
        .params(Timestamp.from(clock.instant()), connection)
        .update();
    scheduler.runDueNow();
    assertThat(jobs(connection)).isEqualTo(1);
    UUID job = onlyJob(connection);
    lifecycle.queue.cancel(job);
    scheduler.runDueNow();
    assertThat(jobs(connection)).as("a first sync happens once").isEqualTo(1);
    assertThat(nextSyncAt(connection)).as("no schedule: manual syncs only").isNull();
  }

  private Instant nextSyncAt(UUID connection) {
    return about(connection, "select next_sync_at from connections where id = ?", Timestamp.class)
        .map(Timestamp::toInstant)
        .orElse(null);
  }

  private int jobs(UUID connection) {
    return about(connection, "select count(*) from jobs where connection_id = ?", Integer.class)
        .orElseThrow();
  }

  private UUID onlyJob(UUID connection) {
    return about(connection, "select id from jobs where connection_id = ?", UUID.class)
        .orElseThrow();
  }

  /** The one value {@code sql} finds for {@code connection}, if any. */
  private static <T> Optional<T> about(UUID connection, String sql, Class<T> type) {
    return database.jdbc.sql(sql).param(connection).query(type).optional();
  }
}
