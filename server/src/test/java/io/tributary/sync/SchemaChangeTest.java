package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.SourceDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A source table that changes between syncs, under each non_breaking_changes_preference. */
class SchemaChangeTest extends ApiTest {

  static final String ADD_EMAIL =
      "alter table users add column email text;"
          + " update users set email = 'e' || id, updated_at = updated_at + interval '1 day'";

  record World(
      Fixtures.Tenant tenant,
      SourceDatabase source,
      SourceDatabase warehouse,
      String sourceId,
      String connectionId,
      String scoped) {}

  private World world(String preference) {
    SourceDatabase source = SourceDatabase.create();
    source.execute(
        "create table users (id bigint primary key, name text, score int, updated_at timestamptz);"
            + " insert into users select n, 'u' || n, n, timestamptz '2026-01-01' + n * interval '1 second' from generate_series(1, 50) n;"
            + " create table notes (id bigint primary key, body text); insert into notes values (1, 'first');");
    SourceDatabase warehouse = SourceDatabase.create();
    var tenant = fixtures.tenant();
    String template = fixtures.postgresTemplate(tenant, source);
    fixtures.warehouseTemplate(
        tenant, warehouse, Map.of("non_breaking_changes_preference", preference));
    String scoped = fixtures.scopedToken(tenant, "schemas");
    var created = fixtures.embeddedSource(scoped, template, source.userConfig("unused"));
    String sourceId = created.json().get("id").asString();
    fixtures.selectStream(scoped, sourceId, Fixtures.dedupedStream("users", "updated_at"));
    World w =
        new World(
            tenant,
            source,
            warehouse,
            sourceId,
            created.json().get("connection_ids").get(0).asString(),
            scoped);
    assertThat(sync(w).get("status").asString()).isEqualTo("succeeded");
    return w;
  }

  @Test
  void propagatedColumnsReachTheDestination() {
    World w = world("propagate_columns");
    JsonNode job = syncAfter(w, ADD_EMAIL);
    assertSucceeded(job);
    assertThat(columns(w)).contains("email");
    assertThat(logs(w, job)).contains("Schema changed: stream 'users' gained email (propagated)");
  }

  @Test
  void ignoredColumnsStayOutOfTheDestination() {
    World w = world("ignore");
    JsonNode job = syncAfter(w, ADD_EMAIL);
    assertSucceeded(job);
    assertThat(columns(w)).doesNotContain("email").contains("name");
    assertThat(logs(w, job)).contains("(new columns ignored)");
  }

  @Test
  void propagateFullyConvertsTheDestinationColumnToTheNewType() {
    World w = world("propagate_fully");
    assertThat(columnType(w, "score")).isEqualTo("bigint");
    JsonNode job =
        syncAfter(
            w,
            "alter table users alter column score type text; "
                + "update users set score = 'S-' || score, updated_at = updated_at + interval '1 day' where id > 40");
    assertSucceeded(job);
    assertThat(logs(w, job))
        .contains(
            "column score of stream 'users' changed type from integer to string (propagated)");
    assertThat(columnType(w, "score")).isEqualTo("text");
    assertThat(
            w.warehouse().column("select score from schemas.users where id in (7, 45) order by id"))
        .containsExactly("7", "S-45");
  }

  @Test
  void propagateFullyStopsSyncingAStreamGoneAtTheSource() {
    World w = world("propagate_fully");
    JsonNode job = syncAfter(w, "drop table notes");
    assertSucceeded(job);
    assertThat(logs(w, job))
        .contains(
            "stream 'notes' no longer exists at the source and is no longer synced (propagated)");
    assertThat(connectionStatus(w)).isEqualTo("active");

    World strict = world("propagate_columns");
    JsonNode failed = syncAfter(strict, "drop table notes");
    assertThat(failed.get("failure_reason").asString())
        .contains("stream 'notes' no longer exists at the source");
    assertThat(connectionStatus(strict)).isEqualTo("inactive");
  }

  @Test
  void otherPreferencesKeepTheDestinationColumnType() {
    World w = world("propagate_columns");
    JsonNode job =
        syncAfter(
            w,
            "alter table users alter column score type text; update users set updated_at = updated_at + interval '1 day'");
    assertSucceeded(job);
    assertThat(logs(w, job))
        .contains(
            "changed type from integer to string (propagated; destination column types kept)");
    assertThat(columnType(w, "score")).isEqualTo("bigint");
    assertThat(w.warehouse().column("select score::text from schemas.users where id = 7"))
        .containsExactly("7");
  }

  @Test
  void disableAndBreakingChangesPauseTheConnectionWithAReason() {
    World w = world("disable");
    JsonNode job = syncAfter(w, "alter table users add column email text");
    assertThat(job.get("status").asString()).isEqualTo("failed");
    assertThat(job.get("failure_type").asString()).isEqualTo("config_error");
    assertThat(job.get("failure_reason").asString()).contains("gained email").contains("paused");
    assertThat(connectionStatus(w)).isEqualTo("inactive");
    assertThat(pausedReason(w)).as("the status call says why").isEqualTo("schema_change");

    World broken = world("propagate_fully");
    JsonNode failed = syncAfter(broken, "alter table users drop column updated_at");
    assertThat(failed.get("status").asString()).isEqualTo("failed");
    assertThat(failed.get("failure_reason").asString())
        .contains("cursor column 'updated_at' of stream 'users' is gone");
    assertThat(connectionStatus(broken)).isEqualTo("inactive");
    assertThat(pausedReason(broken)).isEqualTo("breaking_schema_change");
  }

  /** The connection's {@code paused_reason} in its workspace's status. */
  private String pausedReason(World w) {
    String workspace = fixtures.workspaceId(w.scoped()).toString();
    JsonNode status =
        http.get("/api/v1/workspaces/" + workspace + "/status", w.tenant().operatorToken()).json();
    for (JsonNode connection : status.get("connections")) {
      if (connection.get("connection_id").asString().equals(w.connectionId())) {
        return connection.get("paused_reason").asString(null);
      }
    }
    throw new AssertionError("no connection " + w.connectionId() + " in " + status);
  }

  /** The sync that follows {@code sql} changing the source's schema and a rediscovery. */
  private JsonNode syncAfter(World w, String sql) {
    changeSchema(w, sql);
    return sync(w);
  }

  private static void assertSucceeded(JsonNode job) {
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
  }

  private void changeSchema(World w, String sql) {
    w.source().execute(sql);
    var rediscovered =
        http.get(
            "/api/v1/integrations/sources/" + w.sourceId() + "/discover?refresh=true", w.scoped());
    assertThat(rediscovered.status()).as(rediscovered.toString()).isEqualTo(200);
  }

  private JsonNode sync(World w) {
    return fixtures.sync(w.tenant().operatorToken(), w.connectionId());
  }

  private String logs(World w, JsonNode job) {
    return http.get(
            "/api/v1/jobs/" + job.get("id").asString() + "/logs", w.tenant().operatorToken())
        .body();
  }

  private String connectionStatus(World w) {
    return http.get("/api/v1/connections/" + w.connectionId(), w.tenant().operatorToken())
        .json()
        .get("status")
        .asString();
  }

  private static String columnType(World w, String column) {
    return w.warehouse()
        .column(
            "select data_type from information_schema.columns where table_schema = 'schemas' and table_name = 'users' "
                + "and column_name = '"
                + column
                + "'")
        .getFirst();
  }

  private static List<String> columns(World w) {
    return w.warehouse()
        .column(
            "select column_name from information_schema.columns where table_schema = 'schemas' and table_name = 'users'");
  }
}
