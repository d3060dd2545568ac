package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.SourceDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A source table that changes between syncs, under each non_breaking_changes_preference. */
class SchemaChangeTest extends ApiTest {

  static final String POSTGRES_SOURCE = "decd338e-5647-4c0b-adf4-da0e75f5a750";
  static final String POSTGRES_DESTINATION = "25c5221d-dce2-4163-ade9-739ef790f503";

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
    String template =
        http.post(
                "/api/v1/integrations/templates/sources",
                tenant.operatorToken(),
                Map.of(
                    "actor_definition_id",
                    POSTGRES_SOURCE,
                    "partial_default_config",
                    source.templateDefaults(),
                    "customization",
                    Map.of("stream_selection_mode", "all")))
            .json()
            .get("id")
            .asString();
    Map<String, Object> destination = new HashMap<>(warehouse.templateDefaults());
    destination.put("database", warehouse.database());
    destination.put("schema", "public");
    destination.put("username", "postgres");
    assertThat(
            http.post(
                    "/api/v1/integrations/templates/connections",
                    tenant.operatorToken(),
                    Map.of(
                        "destination_name",
                        "Warehouse",
                        "destination_definition_id",
                        POSTGRES_DESTINATION,
                        "destination_config",
                        destination,
                        "sync_on_create",
                        false,
                        "non_breaking_changes_preference",
                        preference))
                .status())
        .isEqualTo(200);
    String scoped = fixtures.scopedToken(tenant, "schemas");
    var created =
        http.post(
            "/api/v1/embedded/sources",
            scoped,
            Map.of("source_template_id", template, "source_config", source.userConfig("unused")));
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    String sourceId = created.json().get("id").asString();
    assertThat(
            http.post(
                    "/api/v1/integrations/sources/" + sourceId + "/streams",
                    scoped,
                    Map.of(
                        "stream_name",
                        "users",
                        "sync_mode",
                        "incremental",
                        "destination_sync_mode",
                        "append_dedup",
                        "cursor_field",
                        List.of("updated_at"),
                        "primary_key",
                        List.of(List.of("id"))))
                .status())
        .isIn(200, 201);
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
    changeSchema(
        w,
        "alter table users add column email text; update users set email = 'e' || id, updated_at = updated_at + interval '1 day'");
    JsonNode job = sync(w);
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
    assertThat(columns(w)).contains("email");
    assertThat(logs(w, job)).contains("Schema changed: stream 'users' gained email (propagated)");
  }

  @Test
  void ignoredColumnsStayOutOfTheDestination() {
    World w = world("ignore");
    changeSchema(
        w,
        "alter table users add column email text; update users set email = 'e' || id, updated_at = updated_at + interval '1 day'");
    JsonNode job = sync(w);
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
    assertThat(columns(w)).doesNotContain("email").contains("name");
    assertThat(logs(w, job)).contains("(new columns ignored)");
  }

  @Test
  void propagateFullyConvertsTheDestinationColumnToTheNewType() {
    World w = world("propagate_fully");
    assertThat(columnType(w, "score")).isEqualTo("bigint");
    changeSchema(
        w,
        "alter table users alter column score type text; "
            + "update users set score = 'S-' || score, updated_at = updated_at + interval '1 day' where id > 40");
    JsonNode job = sync(w);
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
    assertThat(logs(w, job))
        .contains(
            "column score of stream 'users' changed type from integer to string (propagated)");
    assertThat(columnType(w, "score")).isEqualTo("text");
    assertThat(values(w, "select score from schemas.users where id in (7, 45) order by id"))
        .containsExactly("7", "S-45");
  }

  @Test
  void propagateFullyStopsSyncingAStreamGoneAtTheSource() {
    World w = world("propagate_fully");
    changeSchema(w, "drop table notes");
    JsonNode job = sync(w);
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
    assertThat(logs(w, job))
        .contains(
            "stream 'notes' no longer exists at the source and is no longer synced (propagated)");
    assertThat(connectionStatus(w)).isEqualTo("active");

    World strict = world("propagate_columns");
    changeSchema(strict, "drop table notes");
    JsonNode failed = sync(strict);
    assertThat(failed.get("failure_reason").asString())
        .contains("stream 'notes' no longer exists at the source");
    assertThat(connectionStatus(strict)).isEqualTo("inactive");
  }

  @Test
  void otherPreferencesKeepTheDestinationColumnType() {
    World w = world("propagate_columns");
    changeSchema(
        w,
        "alter table users alter column score type text; update users set updated_at = updated_at + interval '1 day'");
    JsonNode job = sync(w);
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
    assertThat(logs(w, job))
        .contains(
            "changed type from integer to string (propagated; destination column types kept)");
    assertThat(columnType(w, "score")).isEqualTo("bigint");
    assertThat(values(w, "select score::text from schemas.users where id = 7"))
        .containsExactly("7");
  }

  @Test
  void disableAndBreakingChangesPauseTheConnectionWithAReason() {
    World w = world("disable");
    changeSchema(w, "alter table users add column email text");
    JsonNode job = sync(w);
    assertThat(job.get("status").asString()).isEqualTo("failed");
    assertThat(job.get("failure_type").asString()).isEqualTo("config_error");
    assertThat(job.get("failure_reason").asString()).contains("gained email").contains("paused");
    assertThat(connectionStatus(w)).isEqualTo("inactive");

    World broken = world("propagate_fully");
    changeSchema(broken, "alter table users drop column updated_at");
    JsonNode failed = sync(broken);
    assertThat(failed.get("status").asString()).isEqualTo("failed");
    assertThat(failed.get("failure_reason").asString())
        .contains("cursor column 'updated_at' of stream 'users' is gone");
    assertThat(connectionStatus(broken)).isEqualTo("inactive");
  }

  private void changeSchema(World w, String sql) {
    w.source().execute(sql);
    var rediscovered =
        http.get(
            "/api/v1/integrations/sources/" + w.sourceId() + "/discover?refresh=true", w.scoped());
    assertThat(rediscovered.status()).as(rediscovered.toString()).isEqualTo(200);
  }

  private JsonNode sync(World w) {
    var started =
        http.post(
            "/api/v1/connections/" + w.connectionId() + "/sync", w.tenant().operatorToken(), null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String job = started.json().get("id").asString();
    await("job " + job)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                List.of("succeeded", "failed", "cancelled")
                    .contains(
                        http.get("/api/v1/jobs/" + job, w.tenant().operatorToken())
                            .json()
                            .get("status")
                            .asString()));
    return http.get("/api/v1/jobs/" + job, w.tenant().operatorToken()).json();
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
    return values(
            w,
            "select data_type from information_schema.columns where table_schema = 'schemas' and table_name = 'users' "
                + "and column_name = '"
                + column
                + "'")
        .getFirst();
  }

  private static List<String> values(World w, String sql) {
    try (Connection c = DriverManager.getConnection(w.warehouse().jdbcUrl());
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> columns(World w) {
    try (Connection c = DriverManager.getConnection(w.warehouse().jdbcUrl());
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "select column_name from information_schema.columns where table_schema = 'schemas' and table_name = 'users'")) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
