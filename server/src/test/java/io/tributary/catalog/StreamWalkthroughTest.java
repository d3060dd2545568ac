package io.tributary.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import io.tributary.testing.SourceDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The stream-management walkthrough of the Airbyte documentation (seeds/000), replayed as written
 * against a PostgreSQL source holding users and orders.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamWalkthroughTest extends ApiTest {

  static final String PASSWORD = "pg-secret-" + java.util.UUID.randomUUID();

  @Autowired JdbcClient jdbc;

  SourceDatabase database;
  Fixtures.Tenant tenant;
  String scoped;
  String sourceId;
  String base;

  @BeforeEach
  void source() {
    database = SourceDatabase.create();
    database.execute(
        """
        create table users (id bigint primary key, name text, email text, updated_at timestamptz, last_modified timestamptz);
        create table orders (id bigint primary key, user_id bigint, total numeric(10,2), created_at timestamptz);
        insert into users select n, 'u' || n, 'u' || n || '@example.com', now(), now() from generate_series(1, 20) n;
        insert into orders select n, n % 5, n * 2.5, now() from generate_series(1, 30) n;""");
    var tenant = fixtures.tenant();
    String template =
        fixtures.postgresTemplate(tenant, database, List.of("orders", "users", "events"));
    scoped = fixtures.scopedToken(tenant, "walkthrough");
    this.tenant = tenant;
    var created =
        http.postForOrganization(
            "/api/v1/embedded/sources",
            scoped,
            tenant.organizationId(),
            Map.of(
                "name",
                "your_source_name",
                "workspace ID",
                fixtures.workspaceId(scoped).toString(),
                "source_template_id",
                template,
                "source_config",
                database.userConfig(PASSWORD)));
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    sourceId = created.json().get("id").asString();
    base = "/api/v1/integrations/sources/" + sourceId;
  }

  @Test
  void discoverAndQueryTheCatalog() {
    JsonNode catalog = http.get(base + "/discover", scoped).json().get("catalog");
    assertThat(catalog.get("streams").valueStream().map(s -> s.get("name").asString()).toList())
        .contains("users", "orders");
    JsonNode users =
        catalog
            .get("streams")
            .valueStream()
            .filter(s -> s.get("name").asString().equals("users"))
            .findFirst()
            .orElseThrow();
    assertThat(users.get("supported_sync_modes").toString())
        .isEqualTo("[\"full_refresh\",\"incremental\"]");
    assertThat(
            users.get("json_schema").get("properties").get("updated_at").get("format").asString())
        .isEqualTo("date-time");
    assertThat(users.get("source_defined_primary_key").toString()).isEqualTo("[[\"id\"]]");
    assertThat(http.get(base + "/discover?refresh=true", scoped).status()).isEqualTo(200);

    assertThat(names(query("streams[?name==`users` || name==`orders`]")))
        .containsExactlyInAnyOrder("users", "orders");
    assertThat(names(query("streams[?name==`users`]"))).containsExactly("users");
    assertThat(names(query("streams[?contains(supported_sync_modes, 'incremental')]")))
        .contains("users", "orders");
    assertThat(query("streams[*].name").toString()).contains("\"users\"", "\"orders\"");
    assertThat(
            query(
                    "streams[?source_defined_cursor==`true` && contains(supported_sync_modes, 'incremental')]")
                .isArray())
        .isTrue();
    assertThat(query("streams[?contains(supported_sync_modes, 'incremental')].name").toString())
        .contains("\"users\"");

    var bad = http.post(base + "/catalog/query", scoped, Map.of("jmes_query", "streams[?name=="));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("detail").asString()).startsWith("Invalid JMESPath expression");
  }

  @Test
  void addPatchAndRemoveStreamsAsDocumented() {
    // The template's whitelist selected the streams it names that exist; users is taken out to be
    // added as documented.
    assertThat(
            http.get(base + "/streams", scoped)
                .json()
                .get("streams")
                .valueStream()
                .map(s -> s.get("name").asString())
                .toList())
        .containsExactly("orders", "users");
    assertThat(http.delete(base + "/streams/users", scoped).status()).isEqualTo(200);

    var added = addStream(Fixtures.dedupedStream("users", "updated_at"));
    assertThat(added.status()).as(added.toString()).isEqualTo(201);
    var again = addStream(settings("users", "incremental", "cursor_field", List.of("updated_at")));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("destination_sync_mode").asString()).isEqualTo("append_dedup");
    var orders =
        addStream(settings("orders", "full_refresh", "destination_sync_mode", "overwrite"));
    assertThat(orders.status()).isEqualTo(200);

    for (String patch :
        List.of(
            "[{\"op\": \"replace\", \"path\": \"/sync_mode\", \"value\": \"incremental\"},"
                + " {\"op\": \"replace\", \"path\": \"/cursor_field\", \"value\": [\"last_modified\"]}]",
            "[{\"op\": \"replace\", \"path\": \"/sync_mode\", \"value\": \"incremental\"}]",
            "[{\"op\": \"replace\", \"path\": \"/cursor_field\", \"value\": [\"updated_at\"]}]",
            "[{\"op\": \"replace\", \"path\": \"/destination_sync_mode\", \"value\": \"append_dedup\"}]",
            "[{\"op\": \"replace\", \"path\": \"/sync_mode\", \"value\": \"incremental\"},"
                + " {\"op\": \"replace\", \"path\": \"/destination_sync_mode\", \"value\": \"append_dedup\"},"
                + " {\"op\": \"replace\", \"path\": \"/cursor_field\", \"value\": [\"updated_at\"]},"
                + " {\"op\": \"replace\", \"path\": \"/primary_key\", \"value\": [[\"id\"]]}]")) {
      var patched =
          http.send(
              "PATCH",
              base + "/streams/users",
              scoped,
              patch,
              Map.of("Content-Type", "application/json"));
      assertThat(patched.status()).as(patch + " → " + patched).isEqualTo(200);
    }
    var jsonPatchType =
        http.send(
            "PATCH",
            base + "/streams/users",
            scoped,
            "[{\"op\": \"replace\", \"path\": \"/cursor_field\", \"value\": [\"last_modified\"]}]",
            Map.of("Content-Type", "application/json-patch+json"));
    assertThat(jsonPatchType.json().get("cursor_field").toString())
        .isEqualTo("[\"last_modified\"]");

    JsonNode detail = http.get(base + "/streams/users", scoped).json();
    assertThat(detail.get("selected").asBoolean()).isTrue();
    assertThat(detail.get("config").get("sync_mode").asString()).isEqualTo("incremental");

    var removed = http.delete(base + "/streams/users", scoped);
    assertThat(removed.status()).isEqualTo(200);
    assertThat(http.get(base + "/streams", scoped).json().get("streams").size()).isEqualTo(1);
  }

  @Test
  void documentedErrorsAndTheRulesOfSPEC10() {
    assertDetail(
        addStream(Map.of("stream_name", "invalid_stream")),
        404,
        "Stream 'invalid_stream' not found in source catalog");
    assertDetail(
        addStream(settings("users", "invalid_mode")),
        422,
        "Sync mode 'invalid_mode' not supported for stream 'users'");
    assertDetail(
        http.patch(
            base + "/streams/orders",
            scoped,
            "[{\"op\": \"move\", \"from\": \"/a\", \"path\": \"/sync_mode\"}]"),
        400,
        "Invalid JSON Patch operation");
    assertDetail(
        http.patch(base + "/streams/orders", scoped, "{\"op\": \"replace\"}"),
        400,
        "Invalid JSON Patch operation");
    assertDetail(
        http.patch(
            base + "/streams/orders",
            scoped,
            "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": 1}]"),
        400,
        "Invalid JSON Patch operation");
    database.execute("create table events (payload text)");
    http.get(base + "/discover?refresh=true", scoped);
    assertDetail(
        addStream(settings("events", "incremental")),
        422,
        "Stream 'events' needs a cursor_field for incremental syncs");
    assertDetail(
        addStream(
            settings(
                "events",
                "incremental",
                "destination_sync_mode",
                "append_dedup",
                "cursor_field",
                List.of("payload"))),
        422,
        "Stream 'events' needs a primary_key for append_dedup");
    assertDetail(
        addStream(settings("users", "incremental", "cursor_field", List.of("nope"))),
        422,
        "Cursor field 'nope' is not a field of stream 'users'");
    assertDetail(
        http.delete(base + "/streams/invalid_stream", scoped),
        404,
        "Stream 'invalid_stream' not found in source catalog");

    // Without explicit modes: incremental + append_dedup needs a cursor; users has a key but no
    // default cursor.
    var users = addStream(Map.of("stream_name", "users"));
    assertThat(users.json().get("sync_mode").asString()).isEqualTo("full_refresh");
    assertThat(users.json().get("destination_sync_mode").asString()).isEqualTo("overwrite");
    assertThat(http.get(base + "/streams", scoped).json().get("streams").size()).isEqualTo(2);
  }

  @Test
  void theDocumentedChangeOfSyncModeWorksOnAStreamThatStartedAsAFullRefresh() {
    JsonNode users = http.get(base + "/streams/users", scoped).json().get("config");
    assertThat(users.get("sync_mode").asString()).isEqualTo("full_refresh");
    assertThat(users.get("destination_sync_mode").asString()).isEqualTo("overwrite");
    var patched =
        http.patch(
            base + "/streams/users",
            scoped,
            "[{\"op\": \"replace\", \"path\": \"/sync_mode\", \"value\": \"incremental\"},"
                + " {\"op\": \"replace\", \"path\": \"/cursor_field\", \"value\": [\"last_modified\"]}]");
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().get("sync_mode").asString()).isEqualTo("incremental");
    assertThat(patched.json().get("destination_sync_mode").asString())
        .as("a mode that goes with incremental and the key")
        .isEqualTo("append_dedup");
    assertThat(patched.json().get("cursor_field").toString()).isEqualTo("[\"last_modified\"]");

    // and back: a full refresh cannot deduplicate, so it gets overwrite; an explicit incompatible
    // pair is still refused
    var back =
        http.patch(
            base + "/streams/users",
            scoped,
            "[{\"op\": \"replace\", \"path\": \"/sync_mode\", \"value\": \"full_refresh\"}]");
    assertThat(back.json().get("destination_sync_mode").asString()).isEqualTo("overwrite");
    assertDetail(
        http.patch(
            base + "/streams/users",
            scoped,
            "[{\"op\": \"replace\", \"path\": \"/sync_mode\", \"value\": \"incremental\"},"
                + " {\"op\": \"replace\", \"path\": \"/destination_sync_mode\", \"value\": \"overwrite\"}]"),
        422,
        "Stream 'users' cannot combine incremental with overwrite: use full_refresh with overwrite or append, "
            + "incremental with append or append_dedup");
  }

  @Test
  void aCursorOrKeyThatTheModeDoesNotUseIsRefusedNotDropped() {
    assertDetail(
        addStream(settings("orders", "full_refresh", "cursor_field", List.of("created_at"))),
        422,
        "Stream 'orders' is synced full_refresh, which uses no cursor_field: set sync_mode to incremental, or leave cursor_field out");
    assertDetail(
        addStream(
            settings(
                "orders",
                "incremental",
                "destination_sync_mode",
                "append",
                "cursor_field",
                List.of("created_at"),
                "primary_key",
                List.of(List.of("id")))),
        422,
        "Stream 'orders' is written with append, which uses no primary_key: set destination_sync_mode to append_dedup, "
            + "or leave primary_key out");
    assertDetail(
        http.patch(
            base + "/streams/orders",
            scoped,
            "[{\"op\": \"replace\", \"path\": \"/cursor_field\", \"value\": [\"created_at\"]}]"),
        422,
        "Stream 'orders' is synced full_refresh, which uses no cursor_field: set sync_mode to incremental, or leave cursor_field out");
    assertThat(
            http.get(base + "/streams/orders", scoped)
                .json()
                .get("config")
                .get("sync_mode")
                .asString())
        .as("a refused request changes nothing")
        .isEqualTo("full_refresh");
  }

  @Test
  void aMissingStreamNameIsOneError() {
    var missing = addStream(Map.of("sync_mode", "full_refresh"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.json().get("detail").size()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.errorLocation()).isEqualTo("[\"body\",\"stream_name\"]");
  }

  @Test
  void onlyTheStreamsOfATemplatesWhitelistCanBeSelected() {
    String narrow = fixtures.postgresTemplate(tenant, database, List.of("orders"));
    String other =
        http.post(
                "/api/v1/embedded/sources",
                scoped,
                Map.of(
                    "name",
                    "orders only",
                    "source_template_id",
                    narrow,
                    "source_config",
                    database.userConfig(PASSWORD)))
            .json()
            .get("id")
            .asString();
    String otherBase = "/api/v1/integrations/sources/" + other;
    assertDetail(
        http.post(otherBase + "/streams", scoped, Map.of("stream_name", "users")),
        422,
        "Stream 'users' is not one of the streams this source's template offers");
    assertThat(
            http.get(otherBase + "/streams", scoped)
                .json()
                .get("streams")
                .valueStream()
                .map(s -> s.get("name").asString())
                .toList())
        .containsExactly("orders");
    assertThat(
            http.post(
                    otherBase + "/streams",
                    scoped,
                    settings("orders", "full_refresh", "destination_sync_mode", "append"))
                .status())
        .isEqualTo(200);
  }

  @Test
  void secretsNeverLeakAndAMaskedPutKeepsThem(CapturedOutput output) {
    JsonNode source = http.get("/api/v1/embedded/sources/" + sourceId, scoped).json();
    assertThat(source.get("source_config").get("password").asString()).isEqualTo("**********");
    assertThat(source.toString()).doesNotContain(PASSWORD);

    String row =
        jdbc.sql("select s::text from sources s where id = ?::uuid")
            .param(sourceId)
            .query(String.class)
            .single();
    assertThat(row).doesNotContain(PASSWORD);

    var masked = putSourceConfig(database.database(), "**********");
    assertThat(masked.status()).as(masked.toString()).isEqualTo(200);
    assertThat(http.post(base + "/check", scoped, null).json().get("status").asString())
        .isEqualTo("succeeded");

    var wrongDatabase = putSourceConfig("no_such_database", "**********");
    assertThat(wrongDatabase.status())
        .as("a changed configuration is checked again")
        .isEqualTo(400);
    assertThat(wrongDatabase.json().get("detail").asString()).contains("no_such_database");

    var newSecret = putSourceConfig(database.database(), "rotated-" + PASSWORD);
    assertThat(newSecret.status()).isEqualTo(200);
    assertThat(output.getAll()).doesNotContain(PASSWORD);
  }

  /** A stream's settings: its name, its sync mode, then more keys each followed by its value. */
  private static Map<String, Object> settings(String name, String syncMode, Object... more) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("stream_name", name);
    settings.put("sync_mode", syncMode);
    for (int i = 0; i < more.length; i += 2) {
      settings.put((String) more[i], more[i + 1]);
    }
    return settings;
  }

  /** Selects a stream of the source with {@code settings}, or changes the selected one's. */
  private Http.Response addStream(Map<String, ?> settings) {
    return http.post(base + "/streams", scoped, settings);
  }

  /** Replaces the source's configuration, {@code password} masked or not. */
  private Http.Response putSourceConfig(String databaseName, String password) {
    return http.put(
        "/api/v1/embedded/sources/" + sourceId,
        scoped,
        Map.of(
            "source_config",
            Map.of("database", databaseName, "username", "postgres", "password", password)));
  }

  private JsonNode query(String expression) {
    var response = http.post(base + "/catalog/query", scoped, Map.of("jmes_query", expression));
    assertThat(response.status()).as(expression + " → " + response).isEqualTo(200);
    return response.json();
  }

  private static List<String> names(JsonNode streams) {
    return streams.valueStream().map(s -> s.get("name").asString()).toList();
  }

  private static void assertDetail(Http.Response response, int status, String detail) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.json().get("detail").asString()).isEqualTo(detail);
  }
}
