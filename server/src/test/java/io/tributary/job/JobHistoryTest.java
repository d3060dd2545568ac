package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.LifecycleDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which jobs the history retention deletes: finished ones past it, with their logs, but never a
 * connection's newest sync or its newest successful one, and never one still pending or running.
 */
class JobHistoryTest {

  private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
  private static final Instant CUTOFF = NOW.minus(Duration.ofDays(90));

  private static LifecycleDatabase database;

  @BeforeAll
  static void migrate() {
    database = new LifecycleDatabase();
  }

  private final LifecycleDatabase.Tenant tenant = database.tenant(null);
  private final JobHistory history = new JobHistory(database.jdbc);

  @Test
  void finishedJobsPastTheRetentionGoWithTheirLogsButEachConnectionKeepsItsNewestAndLastSuccess() {
    UUID connection = database.connection(tenant);
    UUID oldSuccess = sync(connection, "succeeded", days(200));
    UUID oldFailure = sync(connection, "failed", days(150));
    UUID lastSuccess = sync(connection, "succeeded", days(120));
    UUID oldCancelled = sync(connection, "cancelled", days(110));
    UUID newest = sync(connection, "failed", days(100));
    for (UUID job : new UUID[] {oldSuccess, oldFailure, lastSuccess, oldCancelled, newest}) {
      log(job);
    }

    UUID recentConnection = database.connection(tenant);
    UUID oldOfRecent = sync(recentConnection, "succeeded", days(95));
    UUID recent = sync(recentConnection, "succeeded", days(3));

    UUID idle = database.connection(tenant);
    UUID retrying = sync(idle, "pending", null);
    UUID oldDiscover = discover("succeeded", days(100));
    UUID recentDiscover = discover("failed", days(1));

    int deleted = history.prune(CUTOFF, 1_000);

    assertThat(deleted).isEqualTo(5);
    assertThat(exists(oldSuccess)).isFalse();
    assertThat(exists(oldFailure)).isFalse();
    assertThat(exists(oldCancelled)).isFalse();
    assertThat(exists(oldOfRecent)).isFalse();
    assertThat(exists(oldDiscover)).isFalse();
    assertThat(exists(lastSuccess)).as("the status says when it last synced").isTrue();
    assertThat(exists(newest)).as("the status says how its last sync ended").isTrue();
    assertThat(exists(recent)).isTrue();
    assertThat(exists(retrying)).isTrue();
    assertThat(exists(recentDiscover)).isTrue();
    assertThat(logLines(oldSuccess)).isZero();
    assertThat(logLines(lastSuccess)).isOne();
    assertThat(history.prune(CUTOFF, 1_000)).as("nothing left to delete").isZero();
  }

  @Test
  void aBatchDeletesNoMoreThanItsLimitOldestFirst() {
    UUID connection = database.connection(tenant);
    UUID oldest = sync(connection, "succeeded", days(300));
    UUID older = sync(connection, "failed", days(200));
    UUID old = sync(connection, "failed", days(150));
    sync(connection, "succeeded", days(1));

    assertThat(history.prune(CUTOFF, 2)).isEqualTo(2);
    assertThat(exists(oldest)).isFalse();
    assertThat(exists(older)).isFalse();
    assertThat(exists(old)).isTrue();
    assertThat(history.prune(CUTOFF, 2)).isOne();
  }

  private static Instant days(int ago) {
    return NOW.minus(Duration.ofDays(ago));
  }

  /** A sync job of {@code connection} created and finished {@code finished} (null: unfinished). */
  private UUID sync(UUID connection, String status, Instant finished) {
    UUID id = UUID.randomUUID();
    Instant created = finished == null ? NOW.minus(Duration.ofDays(400)) : finished;
    database
        .jdbc
        .sql(
            """
            insert into jobs (id, organization_id, workspace_id, kind, connection_id, status, created_at, finished_at)
            values (?, ?, ?, 'sync', ?, ?, ?, ?)""")
        .params(
            id,
            tenant.organizationId(),
            tenant.workspaceId(),
            connection,
            status,
            Timestamp.from(created.minusSeconds(60)),
            finished == null ? null : Timestamp.from(finished))
        .update();
    return id;
  }

  private UUID discover(String status, Instant finished) {
    UUID id = UUID.randomUUID();
    database
        .jdbc
        .sql(
            """
            insert into jobs (id, organization_id, workspace_id, kind, status, created_at, finished_at)
            values (?, ?, ?, 'discover', ?, ?, ?)""")
        .params(
            id,
            tenant.organizationId(),
            tenant.workspaceId(),
            status,
            Timestamp.from(finished.minusSeconds(60)),
            Timestamp.from(finished))
        .update();
    return id;
  }

  private void log(UUID job) {
    database
        .jdbc
        .sql("insert into job_logs (job_id, at, line) values (?, now(), 'a line')")
        .param(job)
        .update();
  }

  private boolean exists(UUID job) {
    return database
            .jdbc
            .sql("select count(*) from jobs where id = ?")
            .param(job)
            .query(Integer.class)
            .single()
        == 1;
  }

  private int logLines(UUID job) {
    return database
        .jdbc
        .sql("select count(*) from job_logs where job_id = ?")
        .param(job)
        .query(Integer.class)
        .single();
  }
}
