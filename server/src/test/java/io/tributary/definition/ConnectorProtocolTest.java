package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.SourceDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The parts of the Airbyte protocol a sync lives by (issue 13): a connector that rotates its own
 * credentials mid-read (CONTROL {@code connectorConfig}) and a connector killed mid-read. Test
 * servers commit every second, so a sync of a few seconds has checkpoints to resume from.
 */
class ConnectorProtocolTest extends ApiTest {

  static final String SCRIPT =
      Path.of("src/test/resources/connectors/rotating-source.py").toAbsolutePath().toString();

  @Test
  void aRotatedConfigurationIsStoredWithTheNextCheckpointOrWhenTheAttemptEndsWithoutOne() {
    World w = world(Map.of("count", 12, "fail_generation", 2), "first-secret-token");

    JsonNode first = sync(w);
    assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
    assertThat(w.warehouse().number("select max(generation) from \"rotation corp\".events"))
        .as("the first sync read with the first configuration")
        .isEqualTo(1);
    JsonNode stored = source(w);
    assertThat(stored.get("source_config").get("generation").asInt())
        .as("the rotated configuration was stored with the checkpoint after it")
        .isEqualTo(2);
    assertThat(stored.get("source_config").get("token").asString()).isEqualTo("**********");

    JsonNode second = sync(w);
    assertThat(second.get("status").asString())
        .as("generation 2 dies right after rotating to 3")
        .isEqualTo("failed");
    assertThat(source(w).get("source_config").get("generation").asInt())
        .as(
            "no checkpoint followed the rotation to 3, but the provider revoked generation 2's"
                + " token: 3 is stored as the attempt ends")
        .isEqualTo(3);
    String logs =
        http.get("/api/v1/jobs/" + second.get("id").asString() + "/logs", w.scoped()).body();
    assertThat(logs)
        .contains("lost the connection right after rotating to generation 3")
        .doesNotContain("first-secret-token")
        .doesNotContain("rotated-secret-");
    assertThat(first.toString() + second + stored).doesNotContain("rotated-secret-");

    JsonNode third = sync(w);
    assertThat(third.get("status").asString())
        .as("the next attempt reads with generation 3, from the last checkpoint")
        .isEqualTo("succeeded");
    assertThat(
            w.warehouse()
                .number("select min(generation) from \"rotation corp\".events where id > 12"))
        .as("what was read after the first sync, read with the stored rotation")
        .isEqualTo(3);
  }

  @Test
  void everyRotationOfOneSyncIsStored() {
    World w = world(Map.of("count", 12, "rotate_after", 4, "rotations", 2), "twice-secret-token");
    JsonNode first = sync(w);
    assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
    assertThat(source(w).get("source_config").get("generation").asInt())
        .as("rotated at record 4 and again at 8, each stored with the checkpoint after it")
        .isEqualTo(3);
    JsonNode second = sync(w);
    assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("succeeded");
    assertThat(source(w).get("source_config").get("generation").asInt()).isEqualTo(5);
  }

  @Test
  void aReplacedConfigurationKeepsWhatTheTemplateSets() {
    World w = world(Map.of("count", 6, "tamper", "set by the template"), "tamper-secret-token");

    JsonNode first = sync(w);
    assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
    JsonNode stored = source(w).get("source_config");
    assertThat(stored.get("generation").asInt()).as("the rotation itself is kept").isEqualTo(2);
    assertThat(stored.has("tamper")).as(stored.toString()).isFalse();

    JsonNode second = sync(w);
    assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("succeeded");
    String logs =
        http.get("/api/v1/jobs/" + second.get("id").asString() + "/logs", w.scoped()).body();
    assertThat(logs)
        .contains("generation 2, tamper: set by the template")
        .doesNotContain("changed by the connector");
  }

  @Test
  void aRotationStoredAfterAnEditKeepsTheEdit() {
    World w = world(Map.of("count", 25, "pause", 0.2, "rotate_after", 20), "edited-secret-token");
    String job = fixtures.startSync(w.tenant().operatorToken(), w.connection());
    await("the sync reading")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> committed(w, job) >= 1);
    // the end user edits the source while the sync runs, before its connector rotates the token
    var edited =
        http.put(
            "/api/v1/embedded/sources/" + w.source(),
            w.scoped(),
            Map.of(
                "name",
                "edited mid-sync",
                "source_config",
                Map.of("token", "**********", "generation", 1, "tamper", "set by the end user")));
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(committed(w, job)).as("edited before the rotation was stored").isLessThan(20);

    JsonNode finished = fixtures.awaitFinished(w.tenant().operatorToken(), job);
    assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
    JsonNode stored = source(w);
    assertThat(stored.get("source_config").get("generation").asInt())
        .as("the rotation is stored")
        .isEqualTo(2);
    assertThat(stored.get("source_config").get("tamper").asString())
        .as("and so is the edit")
        .isEqualTo("set by the end user");
    assertThat(stored.get("name").asString()).isEqualTo("edited mid-sync");
  }

  @Test
  void aConnectorKilledMidReadFailsTheAttemptAndTheRetryResumesFromTheLastCheckpoint()
      throws Exception {
    World w =
        world(Map.of("count", 60, "pause", 0.1, "rotate_after", 1000), "kill-test-secret-token");
    String job = fixtures.startSync(w.tenant().operatorToken(), w.connection());
    await("records committed before the kill")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> committed(w, job) >= 10);
    ProcessHandle connector =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().commandLine().orElse("").contains("rotating-source.py read"))
            .findFirst()
            .orElseThrow();
    new ProcessBuilder("kill", "-KILL", Long.toString(connector.pid())).start().waitFor();

    JsonNode finished = fixtures.awaitFinished(w.tenant().operatorToken(), job);
    assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
    assertThat(finished.get("attempts").asInt()).as("one retry").isEqualTo(2);
    String logs = http.get("/api/v1/jobs/" + job + "/logs", w.scoped()).body();
    assertThat(logs)
        .contains("killed by signal 9")
        .contains("reading events after 0 with generation 1")
        .contains("Retrying in")
        .contains("resuming from its last committed state")
        .doesNotContain("kill-test-secret-token");
    long last = w.warehouse().number("select max(id) from \"rotation corp\".events");
    assertThat(last).as("the retry read on from its checkpoint").isGreaterThanOrEqualTo(60);
    assertThat(w.warehouse().number("select count(distinct id) from \"rotation corp\".events"))
        .as("nothing lost: every id up to the last one")
        .isEqualTo(last);
    assertThat(committed(w, job))
        .as("the job counts what both attempts committed, not only the retry's 60")
        .isGreaterThanOrEqualTo(last);
  }

  @Test
  void anEditWhoseCheckRanWhileASyncRotatedTheTokenKeepsTheRotation() throws Exception {
    World w = world(Map.of("count", 10, "rotate_after", 5), "raced-secret-token");
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<io.tributary.testing.Http.Response> editing =
          threads.submit(
              () ->
                  http.put(
                      "/api/v1/embedded/sources/" + w.source(),
                      w.scoped(),
                      Map.of(
                          "source_config",
                          Map.of("token", "**********", "generation", 1, "check_pause", 8))));
      await("the edit's check running")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ProcessHandle.current()
                      .descendants()
                      .map(p -> p.info().commandLine().orElse(""))
                      .anyMatch(line -> line.contains("rotating-source.py check")));

      JsonNode synced = sync(w);
      assertThat(synced.get("status").asString()).as(synced.toString()).isEqualTo("succeeded");
      assertThat(source(w).get("source_config").get("generation").asInt()).isEqualTo(2);

      var edited = editing.get(60, TimeUnit.SECONDS);
      assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    }
    JsonNode stored = source(w).get("source_config");
    assertThat(stored.get("generation").asInt())
        .as("the token the sync rotated while the edit's check ran is kept")
        .isEqualTo(2);
    assertThat(stored.get("check_pause").asInt()).as("and the edit is stored").isEqualTo(8);
  }

  record World(
      Fixtures.Tenant tenant,
      String scoped,
      String source,
      String connection,
      SourceDatabase warehouse) {}

  private World world(Map<String, Object> templateDefaults, String token) {
    var tenant = fixtures.tenant();
    String template =
        fixtures.allStreamsTemplate(
            tenant,
            fixtures.registerCommandSource("Rotating", List.of("python3", SCRIPT)),
            templateDefaults);
    SourceDatabase warehouse = SourceDatabase.create();
    fixtures.warehouseTemplate(tenant, warehouse, Map.of());
    String scoped = fixtures.scopedToken(tenant, "rotation corp");
    JsonNode source =
        fixtures.embeddedSource(scoped, template, Map.of("token", token, "generation", 1)).json();
    return new World(
        tenant,
        scoped,
        source.get("id").asString(),
        source.get("connection_ids").get(0).asString(),
        warehouse);
  }

  private JsonNode source(World w) {
    return http.get("/api/v1/embedded/sources/" + w.source(), w.scoped()).json();
  }

  private JsonNode sync(World w) {
    return fixtures.sync(w.tenant().operatorToken(), w.connection());
  }

  private long committed(World w, String job) {
    return http.get("/api/v1/jobs/" + job, w.tenant().operatorToken())
        .json()
        .path("streams")
        .path("events")
        .path("records_committed")
        .asLong(0);
  }
}
