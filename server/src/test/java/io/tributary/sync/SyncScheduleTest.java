package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.connection.ConnectionRepository;
import io.tributary.schedule.SyncScheduler;
import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Cron schedules: computed from the template or the connection's own, run when due, skipped when
 * inactive.
 */
class SyncScheduleTest extends ApiTest {

  @Autowired JdbcClient jdbc;
  @Autowired SyncScheduler scheduler;
  @Autowired ConnectionRepository connections;

  record World(
      Fixtures.Tenant tenant, String templateId, String connectionId, String workspaceId) {}

  private World world(String cron) {
    var tenant = fixtures.tenant();
    String faker = fixtures.fakerTemplate(tenant, 1);
    var template =
        fixtures.lakeTemplate(
            tenant,
            "Lake",
            "/local/schedules-" + UUID.randomUUID(),
            Map.of("cron_expression", cron));
    String scoped = fixtures.scopedToken(tenant, "scheduled");
    var source = fixtures.embeddedSource(scoped, faker, Map.of("count", 50));
    return new World(
        tenant,
        template.json().get("id").asString(),
        source.json().get("connection_ids").get(0).asString(),
        fixtures.workspaceId(scoped).toString());
  }

  @Test
  void aDueConnectionSyncsOnceAndMovesToItsNextTime() {
    World w = world("0 0 3 * * ?");
    Instant next = awaitNextSync(w);
    assertThat(next)
        .as("the next 03:00 UTC")
        .isBeforeOrEqualTo(Instant.now().plus(Duration.ofDays(1)));
    assertThat(next.atOffset(ZoneOffset.UTC).getHour()).isEqualTo(3);
    assertThat(jobs(w)).as("nothing before it is due").isZero();

    makeDue(w);
    await("scheduled sync")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> jobs(w) == 1);
    assertThat(awaitNextSync(w)).as("back to its schedule").isEqualTo(next);
    await("scheduled sync finishes")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> latestJob(w).get("status").asString().equals("succeeded"));
    assertThat(jobs(w)).as("one run per due time").isEqualTo(1);
  }

  @Test
  void anInactiveWorkspaceSkipsItsRunsAndATemplatePatchReschedules() {
    World w = world("0 0 3 * * ?");
    awaitNextSync(w);
    http.put(
        "/api/v1/workspaces/" + w.workspaceId(),
        w.tenant().operatorToken(),
        Map.of("status", "inactive"));
    makeDue(w);
    awaitNextSync(w);
    scheduler
        .runDueNow(); // one more tick, on this thread: had it queued anything, the job would be
    // there now
    assertThat(jobs(w)).as("an inactive workspace runs nothing").isZero();

    var patched =
        http.patch(
            "/api/v1/integrations/templates/connections/" + w.templateId(),
            w.tenant().operatorToken(),
            Map.of("cron_expression", "0 0 5 * * ?", "cron_time_zone", "Europe/Paris"));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    awaitNextSync(
        w,
        "rescheduled to 05:00 Paris",
        at -> at.atZone(java.time.ZoneId.of("Europe/Paris")).getHour() == 5);

    var own =
        http.patch(
            "/api/v1/connections/" + w.connectionId(),
            w.tenant().operatorToken(),
            Map.of("cron_expression", "0 30 * * * ?"));
    assertThat(own.status()).as(own.toString()).isEqualTo(200);
    awaitNextSync(
        w,
        "the connection's own schedule wins",
        at -> at.atOffset(ZoneOffset.UTC).getMinute() == 30);
    assertThat(
            http.get("/api/v1/connections/" + w.connectionId(), w.tenant().operatorToken())
                .json()
                .get("next_sync_at")
                .asString())
        .isEqualTo(nextSyncAt(w).toString());
  }

  @Test
  void aNewCronKeepsTheConnectionsTimeZoneAndLeavesACredentialsPauseToItsSource() {
    World w = world("0 0 3 * * ?");
    String path = "/api/v1/connections/" + w.connectionId();
    String operator = w.tenant().operatorToken();
    var tokyo =
        http.patch(
            path,
            operator,
            Map.of("cron_expression", "0 0 4 * * ?", "cron_time_zone", "Asia/Tokyo"));
    assertThat(tokyo.status()).as(tokyo.toString()).isEqualTo(200);
    var cronAlone = http.patch(path, operator, Map.of("cron_expression", "0 0 6 * * ?"));
    assertThat(cronAlone.status()).as(cronAlone.toString()).isEqualTo(200);
    assertThat(cronAlone.json().get("cron_time_zone").asString())
        .as("a new cron alone keeps the connection's time zone")
        .isEqualTo("Asia/Tokyo");
    awaitNextSync(
        w, "06:00 in Tokyo", at -> at.atZone(java.time.ZoneId.of("Asia/Tokyo")).getHour() == 6);

    UUID source = UUID.fromString(tokyo.json().get("source_id").asString());
    assertThat(connections.pauseForCredentials(source, Instant.now()))
        .containsExactly(UUID.fromString(w.connectionId()));
    var reschedule = http.patch(path, operator, Map.of("cron_expression", "0 0 7 * * ?"));
    assertThat(reschedule.status()).as(reschedule.toString()).isEqualTo(200);
    assertThat(reschedule.json().get("status").asString())
        .as("a schedule change resumes nothing")
        .isEqualTo("inactive");
    assertThat(connections.resumeAfterCredentials(source, Instant.now()))
        .as("fixed credentials still resume the connection they paused")
        .containsExactly(UUID.fromString(w.connectionId()));
    assertThat(http.get(path, operator).json().get("status").asString()).isEqualTo("active");

    connections.pauseForCredentials(source, Instant.now());
    var operatorPause = http.patch(path, operator, Map.of("status", "inactive"));
    assertThat(operatorPause.status()).as(operatorPause.toString()).isEqualTo(200);
    assertThat(connections.resumeAfterCredentials(source, Instant.now()))
        .as("an operator's own pause outlasts fixed credentials")
        .isEmpty();
  }

  private void makeDue(World w) {
    jdbc.sql("update connections set next_sync_at = now() - interval '1 second' where id = ?::uuid")
        .param(w.connectionId())
        .update();
  }

  /** The next sync time once the scheduler has (re)computed it: in the future. */
  private Instant awaitNextSync(World w) {
    return awaitNextSync(w, "next sync time", at -> at.isAfter(Instant.now()));
  }

  /** The next sync time once the scheduler has computed one that {@code holds}. */
  private Instant awaitNextSync(World w, String condition, Predicate<Instant> holds) {
    await(condition)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Instant at = nextSyncAt(w);
              return at != null && holds.test(at);
            });
    return nextSyncAt(w);
  }

  private Instant nextSyncAt(World w) {
    return jdbc.sql(
            "select next_sync_at from connections where id = ?::uuid and not schedule_stale")
        .param(w.connectionId())
        .query(java.sql.Timestamp.class)
        .optional()
        .map(java.sql.Timestamp::toInstant)
        .orElse(null);
  }

  private int jobs(World w) {
    return http.get("/api/v1/jobs?connection_id=" + w.connectionId(), w.tenant().operatorToken())
        .dataSize();
  }

  private JsonNode latestJob(World w) {
    return http.get("/api/v1/jobs?connection_id=" + w.connectionId(), w.tenant().operatorToken())
        .json()
        .get("data")
        .get(0);
  }
}
