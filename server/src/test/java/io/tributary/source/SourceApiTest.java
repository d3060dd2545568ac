package io.tributary.source;

import static io.tributary.testing.ApiAssertions.assertInvalidAt;
import static io.tributary.testing.Fixtures.FAKER;
import static io.tributary.testing.Fixtures.FILE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * End users' sources made from templates and wired to destinations, on faker (fast, no external
 * system).
 */
class SourceApiTest extends ApiTest {

  @Autowired JdbcClient jdbc;
  @Autowired SourceRepository sourceRecords;
  @Autowired SourceService sourceService;

  record Setup(Fixtures.Tenant tenant, String templateId, String scoped, UUID workspaceId) {}

  Setup setup(Map<String, Object> templateConfig) {
    var tenant = fixtures.tenant();
    String template =
        fixtures.sourceTemplate(tenant, FAKER, templateConfig, Map.of("name", "Sample"));
    String scoped = fixtures.scopedToken(tenant, "customer");
    return new Setup(tenant, template, scoped, fixtures.workspaceId(scoped));
  }

  String connectionTemplate(
      Fixtures.Tenant tenant, String name, List<String> tags, boolean syncOnCreate) {
    return fixtures
        .lakeTemplate(
            tenant, name, "/local/" + name, Map.of("tags", tags, "sync_on_create", syncOnCreate))
        .json()
        .get("id")
        .asString();
  }

  @Test
  void endUserCreatesASourceWiredToEveryConnectionTemplate() {
    Setup s = setup(Map.of("seed", 1));
    String warehouse = connectionTemplate(s.tenant(), "warehouse", List.of(), true);
    String lake = connectionTemplate(s.tenant(), "lake", List.of(), false);

    var created =
        http.post(
            "/api/v1/embedded/sources",
            s.scoped(),
            Map.of(
                "name",
                "my sample",
                "source_template_id",
                s.templateId(),
                "source_config",
                Map.of("count", 10)));
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    JsonNode source = created.json();
    assertThat(source.get("workspace_id").asString()).isEqualTo(s.workspaceId().toString());
    assertThat(source.get("source_config").toString()).isEqualTo("{\"count\":10}");
    assertThat(source.get("connection_ids").size()).isEqualTo(2);

    var connections =
        http.get(
                "/api/v1/connections?source_id=" + source.get("id").asString(),
                s.tenant().operatorToken())
            .json();
    assertThat(
            connections
                .get("data")
                .valueStream()
                .map(c -> c.get("connection_template_id").asString())
                .toList())
        .containsExactlyInAnyOrder(warehouse, lake);
    JsonNode first =
        connections
            .get("data")
            .valueStream()
            .filter(c -> c.get("connection_template_id").asString().equals(warehouse))
            .findFirst()
            .orElseThrow();
    assertThat(first.get("sync_requested_at").isNull())
        .as("sync_on_create marks a first sync due")
        .isFalse();
    assertThat(first.get("namespace_format").asString()).isEqualTo("${WORKSPACE_NAME}");

    // One destination per template and workspace, reused by the next source.
    http.post(
        "/api/v1/embedded/sources",
        s.scoped(),
        Map.of("source_template_id", s.templateId(), "source_config", Map.of("count", 5)));
    var destinations =
        http.get("/api/v1/destinations?workspace_id=" + s.workspaceId(), s.tenant().operatorToken())
            .json()
            .get("data");
    assertThat(destinations.size()).isEqualTo(2);

    // The end user sees their sources; faker's suggested streams are selected.
    assertThat(http.get("/api/v1/embedded/sources", s.scoped()).dataSize()).isEqualTo(2);
    var streams =
        http.get(
                "/api/v1/integrations/sources/" + source.get("id").asString() + "/streams",
                s.scoped())
            .json();
    assertThat(streams.get("streams").valueStream().map(st -> st.get("name").asString()).toList())
        .containsExactlyInAnyOrder("users", "products", "purchases");
    assertThat(streams.get("streams").get(0).get("sync_mode").asString()).isEqualTo("incremental");
    assertThat(streams.get("streams").get(0).get("destination_sync_mode").asString())
        .isEqualTo("append_dedup");
  }

  @Test
  void tagFiltersFromTheBodyAndFromTheWidgetTokenChooseTheConnectionTemplates() {
    Setup s = setup(Map.of());
    String gold = connectionTemplate(s.tenant(), "gold", List.of("analytics", "premium"), false);
    String silver = connectionTemplate(s.tenant(), "silver", List.of("analytics"), false);
    connectionTemplate(s.tenant(), "other", List.of("archive"), false);

    assertThat(
            templatesOf(
                s, create(s.scoped(), s, connectionTags(List.of("analytics", "premium"), "any"))))
        .containsExactlyInAnyOrder(gold, silver);
    assertThat(
            templatesOf(
                s, create(s.scoped(), s, connectionTags(List.of("analytics", "premium"), "all"))))
        .containsExactly(gold);
    assertThat(templatesOf(s, create(s.scoped(), s, Map.of()))).hasSize(3);

    String widgetJwt =
        fixtures.widgetJwt(
            s.tenant(),
            "customer",
            "https://app.example",
            connectionTags(List.of("premium", "archive"), "any"));
    assertThat(templatesOf(s, create(widgetJwt, s, Map.of())))
        .hasSize(2)
        .contains(gold)
        .doesNotContain(silver);
  }

  @Test
  void testingAnEditedSourceChecksItWithTheSavedSecretsItLeavesMasked() {
    String definition =
        fixtures.registerScriptSource(
            "Password", "src/test/resources/connectors/password-source.sh");
    var tenant = fixtures.tenant();
    String template = fixtures.allStreamsTemplate(tenant, definition, Map.of());
    String scoped = fixtures.scopedToken(tenant, "edits " + UUID.randomUUID());
    var source =
        fixtures.embeddedSource(scoped, template, Map.of("greeting", "hi", "token", "open sesame"));
    String sourceId = source.json().get("id").asString();
    Map<String, Object> asTheFormSendsIt =
        Map.of("greeting", "hello", "token", source.json().get("source_config").get("token"));

    var edited = check(scoped, template, sourceId, asTheFormSendsIt);
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(edited.json().get("status").asString())
        .as("the saved token stands where the form left it masked")
        .isEqualTo("succeeded");
    var unsaved = check(scoped, template, null, asTheFormSendsIt);
    assertThat(unsaved.json().get("status").asString()).isEqualTo("failed");

    var otherTemplate = fixtures.allStreamsTemplate(tenant, definition, Map.of());
    var mismatched = check(scoped, otherTemplate, sourceId, asTheFormSendsIt);
    assertInvalidAt(mismatched, "[\"body\",\"source_id\"]");
    var foreign =
        check(
            fixtures.scopedToken(tenant, "someone else " + UUID.randomUUID()),
            template,
            sourceId,
            asTheFormSendsIt);
    assertThat(foreign.status()).as("another workspace's source").isEqualTo(404);
  }

  /** A check of {@code config} from {@code template}, as an edit of {@code sourceId} when given. */
  private Http.Response check(
      String token, String template, String sourceId, Map<String, Object> config) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("source_template_id", template);
    body.put("source_config", config);
    if (sourceId != null) {
      body.put("source_id", sourceId);
    }
    return http.post("/api/v1/embedded/sources/check", token, body);
  }

  @Test
  void aValueTheTemplateSetsLaterWinsOverOneTheSourceSavedBefore() {
    Setup s = setup(Map.of());
    var source = fixtures.embeddedSource(s.scoped(), s.templateId(), Map.of("count", 3));
    var patched =
        http.patch(
            "/api/v1/integrations/templates/sources/" + s.templateId(),
            s.tenant().operatorToken(),
            Map.of("partial_default_config", Map.of("count", 7)));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    SourceRecord record =
        sourceRecords
            .findLive(
                io.tributary.auth.TenantScope.wholeOrganization(s.tenant().organizationId()),
                UUID.fromString(source.json().get("id").asString()))
            .orElseThrow();
    assertThat(sourceService.effectiveConfig(record).get("count").asInt())
        .as(
            "SPEC §6: the operator's defaults are enforced, and a template PATCH reaches its sources")
        .isEqualTo(7);
  }

  /** A faker template tagged {@code crm}. */
  private String crmTemplate(Setup s) {
    return fixtures.sourceTemplate(
        s.tenant(), FAKER, Map.of(), Map.of("name", "Tagged", "tags", List.of("crm")));
  }

  /** A widget token of the setup's tenant that sees only templates tagged {@code crm}. */
  private String crmWidget(Setup s) {
    return fixtures.widgetJwt(
        s.tenant(),
        "customer",
        "https://app.example",
        Map.of("selected_source_template_tags", List.of("crm")));
  }

  @Test
  void aWidgetTokensTemplatesArePagedAfterTheirTagsAreApplied() {
    Setup s = setup(Map.of());
    fixtures.sourceTemplate(s.tenant(), FAKER, Map.of(), Map.of("name", "Untagged"));
    String tagged = crmTemplate(s);
    String jwt = crmWidget(s);

    var first = http.get("/api/v1/embedded/source-templates?limit=1", jwt).json();
    assertThat(first.get("data").valueStream().map(t -> t.get("id").asString()).toList())
        .as("two untagged templates come first; the page still holds the tagged one")
        .containsExactly(tagged);
  }

  @Test
  void widgetTokenTagsLimitTheTemplatesAnEndUserSeesAndUses() {
    Setup s = setup(Map.of());
    String tagged = crmTemplate(s);
    String jwt = crmWidget(s);

    var visible = http.get("/api/v1/embedded/source-templates", jwt).json().get("data");
    assertThat(visible.valueStream().map(t -> t.get("id").asString()).toList())
        .containsExactly(tagged);
    assertThat(visible.get(0).get("partial_default_config").isNull()).isTrue();
    assertThat(visible.get(0).get("user_config_spec").has("connectionSpecification")).isTrue();
    assertThat(http.get("/api/v1/embedded/source-templates", s.scoped()).dataSize()).isEqualTo(2);

    var hidden =
        http.post(
            "/api/v1/embedded/sources",
            jwt,
            Map.of("source_template_id", s.templateId(), "source_config", Map.of()));
    assertThat(hidden.status()).isEqualTo(404);
  }

  @Test
  void onlyTheOperatorMayPointAFileSourceAtLocalFiles() {
    var tenant = fixtures.tenant();
    String scoped = fixtures.scopedToken(tenant, "files");
    String open = fixtures.sourceTemplate(tenant, FILE, Map.of(), Map.of());
    var refused =
        http.post(
            "/api/v1/embedded/sources/check",
            scoped,
            Map.of(
                "source_template_id",
                open,
                "source_config",
                Fixtures.csvFile("/local/other-organization/out.jsonl", "local")));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.body())
        .contains("[\"body\",\"source_config\",\"provider\",\"storage\"]")
        .contains("local files can only be offered by the source template");

    String preset =
        fixtures.sourceTemplate(
            tenant, FILE, Map.of("provider", Map.of("storage", "local")), Map.of());
    Map<String, Object> missing =
        Map.of(
            "source_template_id",
            preset,
            "source_config",
            Map.of("dataset_name", "x", "format", "csv", "url", "/local/missing.csv"));
    var endUser = http.post("/api/v1/embedded/sources/check", scoped, missing);
    assertThat(endUser.status()).as(endUser.toString()).isEqualTo(422);
    assertThat(endUser.body()).contains("[\"body\",\"source_config\",\"url\"]");
    var allowed = http.post("/api/v1/embedded/sources/check", tenant.operatorToken(), missing);
    assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
    assertThat(allowed.json().get("message").asString()).contains("not found under the local root");
  }

  @Test
  void invalidInputIsRefusedAndChangesNothing() {
    Setup s = setup(Map.of("seed", 3));
    String sources = "/api/v1/embedded/sources";
    assertStatus(
        http.post(
            sources,
            s.scoped(),
            Map.of("source_template_id", UUID.randomUUID().toString(), "source_config", Map.of())),
        404,
        "Source template not found");
    var other = fixtures.tenant();
    String foreignTemplate = fixtures.sourceTemplate(other, FAKER, Map.of(), Map.of());
    assertStatus(
        http.post(
            sources,
            s.scoped(),
            Map.of("source_template_id", foreignTemplate, "source_config", Map.of())),
        404,
        "Source template not found");
    var spec =
        http.post(
            sources,
            s.scoped(),
            Map.of("source_template_id", s.templateId(), "source_config", Map.of("count", "many")));
    assertInvalidAt(spec, "[\"body\",\"source_config\",\"count\"]");
    var preset =
        http.post(
            sources,
            s.scoped(),
            Map.of("source_template_id", s.templateId(), "source_config", Map.of("seed", 9)));
    assertInvalidAt(preset, "[\"body\",\"source_config\",\"seed\"]");
    String unreachable = postgresTemplate(s.tenant());
    assertStatus(
        http.post(
            sources,
            s.scoped(),
            Map.of(
                "source_template_id",
                unreachable,
                "source_config",
                Map.of("database", "db", "username", "u", "password", "pw"))),
        400,
        "Unknown host 'no-such-host.invalid'");
    var otherWorkspace =
        http.post(
            sources,
            s.scoped(),
            Map.of(
                "source_template_id",
                s.templateId(),
                "source_config",
                Map.of(),
                "workspace ID",
                UUID.randomUUID().toString()));
    assertThat(otherWorkspace.status()).isEqualTo(403);
    assertThat(
            jdbc.sql("select count(*) from sources where organization_id = ?")
                .param(s.tenant().organizationId())
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void checkEndpointsAnswerWithAStatus() {
    Setup s = setup(Map.of());
    var ok =
        http.post(
            "/api/v1/embedded/sources/check",
            s.scoped(),
            Map.of("source_template_id", s.templateId(), "source_config", Map.of("count", 1)));
    assertThat(ok.json().get("status").asString()).isEqualTo("succeeded");
    var failed =
        http.post(
            "/api/v1/embedded/sources/check",
            s.scoped(),
            Map.of(
                "source_template_id",
                postgresTemplate(s.tenant()),
                "source_config",
                Map.of("database", "db", "username", "u", "password", "pw")));
    assertThat(failed.json().get("status").asString()).isEqualTo("failed");
    assertThat(failed.json().get("message").asString()).contains("Unknown host");

    String id = create(s.scoped(), s, Map.of()).json().get("id").asString();
    assertThat(
            http.post("/api/v1/integrations/sources/" + id + "/check", s.scoped(), null)
                .json()
                .get("status")
                .asString())
        .isEqualTo("succeeded");
  }

  @Test
  void updateRenamesReplacesConfigAndDeleteRemovesConnections() {
    Setup s = setup(Map.of());
    connectionTemplate(s.tenant(), "dest", List.of(), false);
    String id = create(s.scoped(), s, Map.of()).json().get("id").asString();

    var renamed =
        http.put(
            "/api/v1/embedded/sources/" + id,
            s.scoped(),
            Map.of("name", "renamed", "source_config", Map.of("count", 42)));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(renamed.json().get("name").asString()).isEqualTo("renamed");
    assertThat(renamed.json().get("source_config").get("count").asInt()).isEqualTo(42);
    assertThat(
            http.put(
                    "/api/v1/embedded/sources/" + id,
                    s.scoped(),
                    Map.of("source_config", Map.of("count", 0)))
                .status())
        .isEqualTo(422);

    var deleted = http.delete("/api/v1/embedded/sources/" + id, s.scoped());
    assertThat(deleted.json().get("deleted_at").asString()).isNotBlank();
    assertThat(http.get("/api/v1/embedded/sources/" + id, s.scoped()).status()).isEqualTo(404);
    assertThat(
            http.get("/api/v1/connections?source_id=" + id, s.tenant().operatorToken()).dataSize())
        .isZero();
    assertThat(
            http.get(
                    "/api/v1/destinations?workspace_id=" + s.workspaceId(),
                    s.tenant().operatorToken())
                .dataSize())
        .isEqualTo(1);
  }

  @Test
  void anotherWorkspacesTokenSees404ForEverything() {
    Setup s = setup(Map.of());
    connectionTemplate(s.tenant(), "dest", List.of(), false);
    JsonNode source = create(s.scoped(), s, Map.of()).json();
    String id = source.get("id").asString();
    String connection = source.get("connection_ids").get(0).asString();
    String stranger = fixtures.scopedToken(s.tenant(), "someone-else");
    for (String path :
        List.of(
            "/api/v1/embedded/sources/" + id,
            "/api/v1/integrations/sources/" + id,
            "/api/v1/integrations/sources/" + id + "/discover",
            "/api/v1/integrations/sources/" + id + "/streams",
            "/api/v1/integrations/sources/" + id + "/streams/users",
            "/api/v1/connections/" + connection)) {
      assertThat(http.get(path, stranger).status()).as(path).isEqualTo(404);
    }
    assertThat(http.get("/api/v1/embedded/sources", stranger).dataSize()).isZero();
    assertThat(http.get("/api/v1/connections?workspace_id=" + s.workspaceId(), stranger).status())
        .isEqualTo(403);
    assertThat(http.delete("/api/v1/embedded/sources/" + id, stranger).status()).isEqualTo(404);
  }

  @Test
  void operatorManagesConnectionsAndWorkspaceDeletionRemovesEverything() {
    Setup s = setup(Map.of());
    connectionTemplate(s.tenant(), "dest", List.of(), false);
    String connection =
        create(s.scoped(), s, Map.of()).json().get("connection_ids").get(0).asString();

    var paused =
        http.patch(
            "/api/v1/connections/" + connection,
            s.tenant().operatorToken(),
            Map.of("status", "inactive", "cron_expression", "0 0 3 * * ?"));
    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    assertThat(paused.json().get("status").asString()).isEqualTo("inactive");
    assertThat(paused.json().get("cron_expression").asString()).isEqualTo("0 0 3 * * ?");
    assertThat(
            http.patch(
                    "/api/v1/connections/" + connection,
                    s.tenant().operatorToken(),
                    Map.of("cron_expression", "* * * * * ?"))
                .status())
        .isEqualTo(422);
    assertThat(
            http.patch("/api/v1/connections/" + connection, s.scoped(), Map.of("status", "active"))
                .status())
        .isEqualTo(403);

    http.delete("/api/v1/workspaces/" + s.workspaceId(), s.tenant().operatorToken());
    assertThat(http.get("/api/v1/connections/" + connection, s.tenant().operatorToken()).status())
        .isEqualTo(404);
    assertThat(
            http.get(
                    "/api/v1/integrations/sources?workspace_id=" + s.workspaceId(),
                    s.tenant().operatorToken())
                .dataSize())
        .isZero();
  }

  /** A PostgreSQL template whose preset host does not resolve: every check fails. */
  private String postgresTemplate(Fixtures.Tenant tenant) {
    return fixtures.sourceTemplate(
        tenant,
        "decd338e-5647-4c0b-adf4-da0e75f5a750",
        Map.of("host", "no-such-host.invalid", "port", 5432, "ssl_mode", Map.of("mode", "disable")),
        Map.of("name", "Unreachable"));
  }

  @Test
  void reconcilingAddsConnectionsOfNewTemplatesAndRemovesThoseOfDeletedOnes() {
    Setup s = setup(Map.of());
    String first = connectionTemplate(s.tenant(), "first", List.of("analytics"), false);
    String everything = create(s.scoped(), s, Map.of()).json().get("id").asString();
    String filtered =
        create(s.scoped(), s, Map.of("selected_connection_template_tags", List.of("analytics")))
            .json()
            .get("id")
            .asString();
    String later = connectionTemplate(s.tenant(), "later", List.of("archive"), false);

    JsonNode sync = http.post("/api/v1/workspaces/sync", s.tenant().operatorToken(), null).json();
    assertThat(sync.get("total_count").asInt()).isEqualTo(1);
    assertThat(sync.get("created_count").asInt()).isEqualTo(1);
    assertThat(sync.get("created_workspace_ids").toString())
        .isEqualTo("[\"" + s.workspaceId() + "\"]");
    assertThat(sync.get("created_connection_count").asInt()).isEqualTo(1);
    assertThat(templatesOf(s, http.get("/api/v1/embedded/sources/" + everything, s.scoped())))
        .containsExactlyInAnyOrder(first, later);
    assertThat(templatesOf(s, http.get("/api/v1/embedded/sources/" + filtered, s.scoped())))
        .containsExactly(first);

    JsonNode again = http.post("/api/v1/workspaces/sync", s.tenant().operatorToken(), null).json();
    assertThat(again.get("created_count").asInt()).as("idempotent").isZero();

    http.delete("/api/v1/integrations/templates/connections/" + first, s.tenant().operatorToken());
    assertThat(
            http.post("/api/v1/workspaces/sync", s.tenant().operatorToken(), null)
                .json()
                .get("created_count")
                .asInt())
        .isEqualTo(1);
    assertThat(templatesOf(s, http.get("/api/v1/embedded/sources/" + everything, s.scoped())))
        .containsExactly(later);
    assertThat(templatesOf(s, http.get("/api/v1/embedded/sources/" + filtered, s.scoped())))
        .isEmpty();

    // A deleted source template hides from end users; its sources keep working.
    http.delete(
        "/api/v1/integrations/templates/sources/" + s.templateId(), s.tenant().operatorToken());
    assertThat(http.get("/api/v1/embedded/source-templates", s.scoped()).dataSize()).isZero();
    assertThat(
            http.post("/api/v1/integrations/sources/" + everything + "/check", s.scoped(), null)
                .json()
                .get("status")
                .asString())
        .isEqualTo("succeeded");
  }

  /** The request fields that choose connection templates by their tags. */
  private static Map<String, Object> connectionTags(List<String> tags, String mode) {
    return Map.of(
        "selected_connection_template_tags", tags, "selected_connection_template_tags_mode", mode);
  }

  private Http.Response create(String token, Setup s, Map<String, Object> extra) {
    Map<String, Object> body =
        new java.util.HashMap<>(
            Map.of("source_template_id", s.templateId(), "source_config", Map.of("count", 5)));
    body.putAll(extra);
    var response = http.post("/api/v1/embedded/sources", token, body);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response;
  }

  private List<String> templatesOf(Setup s, Http.Response source) {
    List<String> templates = new ArrayList<>();
    http.get(
            "/api/v1/connections?source_id=" + source.json().get("id").asString(),
            s.tenant().operatorToken())
        .json()
        .get("data")
        .forEach(c -> templates.add(c.get("connection_template_id").asString()));
    return templates;
  }

  private static void assertStatus(Http.Response response, int status, String detail) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.json().get("detail").asString()).contains(detail);
  }
}
