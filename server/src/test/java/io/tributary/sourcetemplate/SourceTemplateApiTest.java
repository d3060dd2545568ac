package io.tributary.sourcetemplate;

import static io.tributary.testing.ApiAssertions.assertInvalidAmong;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class SourceTemplateApiTest extends ApiTest {

  static final String TEMPLATES = "/api/v1/integrations/templates/sources";
  static final String POSTGRES = "decd338e-5647-4c0b-adf4-da0e75f5a750";
  static final String FAKER = "dfd88b22-b603-4c3d-aad7-3701784586b1";

  @Autowired JdbcClient jdbc;

  @Test
  void documentedCreateExampleWorks() {
    var tenant = fixtures.tenant();
    Map<String, Object> documented =
        Map.of(
            "organization_id", tenant.organizationId().toString(),
            "actor_definition_id", POSTGRES,
            "partial_default_config", Map.of(),
            "tags", List.of("crm", "pro-tier"));

    var response = fixtures.postAsOperator(tenant, TEMPLATES, documented);

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("name").asString()).isEqualTo("Postgres");
    assertThat(body.get("actor_definition_id").asString()).isEqualTo(POSTGRES);
    assertThat(body.get("source_definition_id").asString()).isEqualTo(POSTGRES);
    assertThat(body.get("organization_id").asString())
        .isEqualTo(tenant.organizationId().toString());
    assertThat(body.get("tags").toString()).isEqualTo("[\"crm\",\"pro-tier\"]");
    assertThat(body.get("customization").get("stream_selection_mode").asString())
        .isEqualTo("suggested");
    assertThat(
            body.get("user_config_spec")
                .get("connectionSpecification")
                .get("properties")
                .has("host"))
        .isTrue();
    assertThat(body.has("created_at")).isTrue();
    assertThat(body.has("updated_at")).isTrue();
  }

  @Test
  void whitelistExampleFromTheSeedsWorksOnItsOwnPath() {
    var tenant = fixtures.tenant();
    var response =
        fixtures.postAsOperator(
            tenant,
            "/api/v1/embedded/templates/sources",
            Map.of(
                "name",
                "PostgreSQL Analytics Template",
                "actor_definition_id",
                POSTGRES,
                "partial_default_config",
                Map.of("ssl_mode", Map.of("mode", "require")),
                "customization",
                Map.of(
                    "stream_selection_mode",
                    "whitelist",
                    "stream_whitelist",
                    List.of("orders", "customers", "products"))));

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("customization").get("stream_whitelist").toString())
        .isEqualTo("[\"orders\",\"customers\",\"products\"]");
    JsonNode userSpec = body.get("user_config_spec").get("connectionSpecification");
    assertThat(userSpec.get("properties").has("ssl_mode")).isFalse();
    assertThat(userSpec.get("properties").has("host")).isTrue();
  }

  @Test
  void userConfigSpecDropsPresetFieldsFromPropertiesAndRequired() {
    var tenant = fixtures.tenant();
    JsonNode body =
        post(tenant, request(POSTGRES, Map.of("host", "db.internal", "port", 5432), Map.of()))
            .json();

    JsonNode schema = body.get("user_config_spec").get("connectionSpecification");
    assertThat(schema.get("properties").has("host")).isFalse();
    assertThat(schema.get("properties").has("port")).isFalse();
    assertThat(schema.get("required").valueStream().map(JsonNode::asString).toList())
        .doesNotContain("host", "port")
        .contains("database", "username");
    assertThat(schema.get("properties").get("password").get("airbyte_secret").asBoolean()).isTrue();
  }

  @Test
  void theOperatorsFormCustomizationHidesRenamesExplainsAndOrdersFieldsOfTheEndUsersForm() {
    var tenant = fixtures.tenant();
    Map<String, Object> form = new LinkedHashMap<>();
    form.put("schemas", Map.of("hidden", true));
    form.put("jdbc_url_params", Map.of("hidden", true));
    form.put("max_db_connections", Map.of("hidden", true));
    form.put(
        "database",
        Map.of(
            "title",
            "Workspace database",
            "help",
            "Find it under **Settings → Database** in [your console](https://console.example.com).",
            "order",
            0));
    form.put("ssl_mode.ca_certificate", Map.of("description", "Your provider's CA bundle."));
    JsonNode body =
        post(
                tenant,
                request(
                    POSTGRES,
                    Map.of("host", "db.internal"),
                    Map.of("customization", Map.of("form", form))))
            .json();

    JsonNode schema = body.get("user_config_spec").get("connectionSpecification");
    JsonNode properties = schema.get("properties");
    assertThat(properties.has("schemas")).isFalse();
    assertThat(properties.has("jdbc_url_params")).isFalse();
    assertThat(properties.has("max_db_connections")).isFalse();
    assertThat(properties.get("database").get("title").asString()).isEqualTo("Workspace database");
    assertThat(properties.get("database").get("help").asString()).contains("your console");
    assertThat(properties.get("database").get("order").asInt()).isZero();
    // into every option of the choice that has the field
    List<String> caDescriptions =
        properties
            .get("ssl_mode")
            .get("oneOf")
            .valueStream()
            .filter(option -> option.get("properties").has("ca_certificate"))
            .map(
                option ->
                    option.get("properties").get("ca_certificate").get("description").asString())
            .toList();
    assertThat(caDescriptions)
        .containsExactly("Your provider's CA bundle.", "Your provider's CA bundle.");
    // Tributary's plain wording of a built-in connector, under the operator's: safe TLS by default
    assertThat(properties.get("username").get("title").asString()).isEqualTo("Username");
    assertThat(properties.get("ssl_mode").get("title").asString()).isEqualTo("Encryption");
    assertThat(properties.get("ssl_mode").get("default").get("mode").asString())
        .isEqualTo("prefer");
    assertThat(body.get("customization").get("form").get("database").get("title").asString())
        .isEqualTo("Workspace database");
    // the connector's own spec stays as Airbyte publishes it
    JsonNode published =
        http.get("/api/v1/integrations/definitions/sources/" + POSTGRES, tenant.operatorToken())
            .json();
    assertThat(published.toString())
        .doesNotContain("Encryption\"")
        .doesNotContain("Workspace database");
  }

  @Test
  void aFormCustomizationNamingAFieldTheSpecLacksOrHidingARequiredOneIs422AndWritesNothing() {
    var tenant = fixtures.tenant();
    assertInvalid(
        tenant,
        request(
            POSTGRES,
            Map.of(),
            Map.of("customization", Map.of("form", Map.of("no_such_field", Map.of("title", "X"))))),
        "[\"body\",\"customization\",\"form\",\"no_such_field\"]");
    assertInvalid(
        tenant,
        request(
            POSTGRES,
            Map.of(),
            Map.of(
                "customization", Map.of("form", Map.of("ssl_mode.nothing", Map.of("title", "X"))))),
        "[\"body\",\"customization\",\"form\",\"ssl_mode.nothing\"]");
    assertInvalid(
        tenant,
        request(
            POSTGRES,
            Map.of(),
            Map.of("customization", Map.of("form", Map.of("database", Map.of("hidden", true))))),
        "[\"body\",\"customization\",\"form\",\"database\"]");
    assertInvalid(
        tenant,
        request(
            POSTGRES,
            Map.of(),
            Map.of("customization", Map.of("form", Map.of("host", Map.of("title", " "))))),
        "[\"body\",\"customization\",\"form\",\"host\",\"title\"]");
    // a preset required field may be hidden: the end user never needs it
    var preset =
        post(
            tenant,
            request(
                POSTGRES,
                Map.of("database", "app"),
                Map.of(
                    "customization", Map.of("form", Map.of("database", Map.of("hidden", true))))));
    assertThat(preset.status()).as(preset.toString()).isEqualTo(200);
    // and a PATCH that stops presetting it is refused, the template unchanged
    String id = preset.json().get("id").asString();
    var unpreset =
        http.patch(
            TEMPLATES + "/" + id,
            tenant.operatorToken(),
            Map.of("partial_default_config", Map.of()));
    assertThat(unpreset.status()).as(unpreset.toString()).isEqualTo(422);
    assertThat(
            http.get(TEMPLATES + "/" + id, tenant.operatorToken())
                .json()
                .get("partial_default_config")
                .get("database")
                .asString())
        .isEqualTo("app");
  }

  @Test
  void invalidConfigurationsAre422NamingTheFieldAndWriteNothing() {
    var tenant = fixtures.tenant();
    assertInvalid(
        tenant,
        request(POSTGRES, Map.of("port", "not-a-number"), Map.of()),
        "[\"body\",\"partial_default_config\",\"port\"]");
    assertInvalid(
        tenant,
        request(POSTGRES, Map.of("no_such_key", 1), Map.of()),
        "[\"body\",\"partial_default_config\",\"no_such_key\"]");
    assertInvalid(
        tenant,
        request(POSTGRES, Map.of("ssl_mode", Map.of("mode", "verify-ca")), Map.of()),
        "[\"body\",\"partial_default_config\",\"ssl_mode\",\"ca_certificate\"]");
    assertInvalid(
        tenant,
        request(UUID.randomUUID().toString(), Map.of(), Map.of()),
        "[\"body\",\"actor_definition_id\"]");
    assertInvalid(
        tenant,
        request("4816b78f-1489-44c1-9060-4b19d5fa9362", Map.of(), Map.of()),
        "[\"body\",\"actor_definition_id\"]");
    assertInvalid(
        tenant, Map.of("actor_definition_id", POSTGRES), "[\"body\",\"partial_default_config\"]");
    assertInvalid(
        tenant, request(POSTGRES, "text", Map.of()), "[\"body\",\"partial_default_config\"]");
    assertInvalid(
        tenant,
        request(
            POSTGRES,
            Map.of(),
            Map.of("customization", Map.of("stream_selection_mode", "whitelist"))),
        "[\"body\",\"customization\",\"stream_whitelist\"]");
    assertInvalid(
        tenant,
        request(
            POSTGRES, Map.of(), Map.of("customization", Map.of("stream_selection_mode", "some"))),
        "[\"body\",\"customization\",\"stream_selection_mode\"]");
    assertInvalid(
        tenant,
        request(POSTGRES, Map.of(), Map.of("name", "n".repeat(256))),
        "[\"body\",\"name\"]");

    assertThat(
            jdbc.sql("select count(*) from source_templates where organization_id = ?")
                .param(tenant.organizationId())
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void anotherOrganizationInTheBodyIs403() {
    var tenant = fixtures.tenant();
    var response =
        post(
            tenant,
            request(FAKER, Map.of(), Map.of("organization_id", UUID.randomUUID().toString())));
    assertThat(response.status()).isEqualTo(403);
  }

  @Test
  void secretsAreEncryptedAtRestMaskedOnOutputAndKeptOnMaskedPatch() {
    var tenant = fixtures.tenant();
    String secret = "s3cr3t-" + UUID.randomUUID();
    JsonNode created =
        post(tenant, request(POSTGRES, Map.of("host", "db", "password", secret), Map.of())).json();
    String id = created.get("id").asString();
    assertThat(created.get("partial_default_config").get("password").asString())
        .isEqualTo("**********");

    String row =
        jdbc.sql("select t::text from source_templates t where id = ?::uuid")
            .param(id)
            .query(String.class)
            .single();
    assertThat(row).doesNotContain(secret).contains("**********");

    var patched =
        http.patch(
            TEMPLATES + "/" + id,
            tenant.operatorToken(),
            Map.of("partial_default_config", Map.of("host", "db2", "password", "**********")));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().get("partial_default_config").get("host").asString())
        .isEqualTo("db2");
    byte[] secrets =
        jdbc.sql("select partial_default_secrets from source_templates where id = ?::uuid")
            .param(id)
            .query(byte[].class)
            .single();
    assertThat(secrets).isNotNull();

    var noStoredSecret =
        http.patch(
            TEMPLATES + "/" + id,
            tenant.operatorToken(),
            Map.of(
                "partial_default_config",
                Map.of("ssl_mode", Map.of("mode", "verify-ca", "ca_certificate", "**********"))));
    assertThat(noStoredSecret.status()).isEqualTo(422);
  }

  @Test
  void patchChangesOnlyWhatIsGiven() {
    var tenant = fixtures.tenant();
    String id =
        fixtures.sourceTemplate(
            tenant, FAKER, Map.of("count", 100), Map.of("name", "Sample", "tags", List.of("a")));

    var patched =
        http.patch(
                TEMPLATES + "/" + id,
                tenant.operatorToken(),
                Map.of("partial_default_config", Map.of("count", 500)))
            .json();
    assertThat(patched.get("name").asString()).isEqualTo("Sample");
    assertThat(patched.get("partial_default_config").get("count").asInt()).isEqualTo(500);
    assertThat(patched.get("tags").toString()).isEqualTo("[\"a\"]");

    var renamed =
        http.patch(TEMPLATES + "/" + id, tenant.operatorToken(), Map.of("name", "Renamed")).json();
    assertThat(renamed.get("partial_default_config").get("count").asInt()).isEqualTo(500);
  }

  @Test
  void listFiltersByTagsWithAllAsTheDefaultMode() {
    var tenant = fixtures.tenant();
    create(tenant, "crm-only", List.of("crm"));
    create(tenant, "crm-and-sales", List.of("crm", "sales"));
    create(tenant, "untagged", List.of());

    assertThat(names(tenant, "")).containsExactly("crm-only", "crm-and-sales", "untagged");
    assertThat(names(tenant, "?tags=crm&tags=sales")).containsExactly("crm-and-sales");
    assertThat(names(tenant, "?tags=crm&tags=sales&tags_mode=all"))
        .containsExactly("crm-and-sales");
    assertThat(names(tenant, "?tags=crm&tags=sales&tags_mode=any"))
        .containsExactly("crm-only", "crm-and-sales");
    assertThat(names(tenant, "?tags=sales&tags=other&tags_mode=any"))
        .containsExactly("crm-and-sales");
    assertThat(http.get(TEMPLATES + "?tags_mode=several", tenant.operatorToken()).status())
        .isEqualTo(422);
  }

  @Test
  void tagAttachAndDetach() {
    var tenant = fixtures.tenant();
    String id = create(tenant, "t", List.of());
    var tagged =
        http.post(TEMPLATES + "/" + id + "/tags", tenant.operatorToken(), Map.of("tag", "pro-tier"))
            .json();
    assertThat(tagged.get("tags").toString()).isEqualTo("[\"pro-tier\"]");
    assertThat(tagged.get("id").asString()).isEqualTo(id);

    var untagged = http.delete(TEMPLATES + "/" + id + "/tags/pro-tier", tenant.operatorToken());
    assertThat(untagged.json().get("tags").size()).isZero();

    var missing = http.delete(TEMPLATES + "/" + id + "/tags/pro-tier", tenant.operatorToken());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body())
        .isEqualTo(
            "{\"detail\":\"Tag 'pro-tier' not found on this template.\",\"message\":\"Tag 'pro-tier' not found on this template.\"}");
  }

  @Test
  void deleteHidesTheTemplate() {
    var tenant = fixtures.tenant();
    String id = create(tenant, "gone", List.of());
    var deleted = http.delete(TEMPLATES + "/" + id, tenant.operatorToken()).json();
    assertThat(deleted.get("id").asString()).isEqualTo(id);
    assertThat(deleted.get("deleted_at").asString()).isNotBlank();
    assertThat(http.get(TEMPLATES + "/" + id, tenant.operatorToken()).body())
        .isEqualTo(
            "{\"detail\":\"Source template not found\",\"message\":\"Source template not found\"}");
    assertThat(names(tenant, "")).isEmpty();
  }

  @Test
  void otherOrganizationsSeeNothing() {
    var tenant = fixtures.tenant();
    var stranger = fixtures.tenant();
    String id = create(tenant, "mine", List.of());
    assertThat(http.get(TEMPLATES + "/" + id, stranger.operatorToken()).status()).isEqualTo(404);
    assertThat(
            http.patch(TEMPLATES + "/" + id, stranger.operatorToken(), Map.of("name", "x"))
                .status())
        .isEqualTo(404);
    assertThat(http.delete(TEMPLATES + "/" + id, stranger.operatorToken()).status()).isEqualTo(404);
    assertThat(names(stranger, "")).isEmpty();
  }

  /** A template request for {@code definitionId} with {@code defaults} and the other fields. */
  private static Map<String, Object> request(
      String definitionId, Object defaults, Map<String, Object> fields) {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("actor_definition_id", definitionId);
    body.put("partial_default_config", defaults);
    return body;
  }

  private Http.Response post(Fixtures.Tenant tenant, Map<String, Object> body) {
    return http.post(TEMPLATES, tenant.operatorToken(), body);
  }

  private void assertInvalid(Fixtures.Tenant tenant, Map<String, Object> body, String loc) {
    var response = post(tenant, body);
    assertInvalidAmong(response, loc);
  }

  private String create(Fixtures.Tenant tenant, String name, List<String> tags) {
    return fixtures.sourceTemplate(tenant, FAKER, Map.of(), Map.of("name", name, "tags", tags));
  }

  private List<String> names(Fixtures.Tenant tenant, String query) {
    return http.get(TEMPLATES + query, tenant.operatorToken())
        .json()
        .get("data")
        .valueStream()
        .map(t -> t.get("name").asString())
        .toList();
  }
}
