package io.tributary.connectiontemplate;

import static io.tributary.testing.ApiAssertions.assertInvalidAmong;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class ConnectionTemplateApiTest extends ApiTest {

  static final String TEMPLATES = "/api/v1/integrations/templates/connections";
  static final String S3 = "4816b78f-1489-44c1-9060-4b19d5fa9362";
  static final String DUCKDB = "94bd199c-2ff0-4aa2-b98e-17f0acb72610";

  @Autowired JdbcClient jdbc;

  static Map<String, Object> s3Config(String secret) {
    return Map.of(
        "access_key_id", "AKIAEXAMPLE",
        "secret_access_key", secret,
        "s3_bucket_name", "customer-data",
        "s3_bucket_path", "embedded",
        "s3_bucket_region", "us-east-1",
        "format",
            Map.of(
                "format_type",
                "CSV",
                "compression",
                Map.of("compression_type", "No Compression"),
                "flattening",
                "Root level flattening"));
  }

  @Test
  void documentedS3ExampleWorksWithDefaults() {
    var tenant = fixtures.tenant();
    Map<String, Object> documented =
        Map.of(
            "organization_id",
            tenant.organizationId().toString(),
            "destination_name",
            "S3 Destination",
            "destination_definition_id",
            S3,
            "destination_config",
            s3Config("wJalrXUtnFEMI/K7MDENG"),
            "cron_expression",
            "0 0 12 * * ?");

    var response = fixtures.postAsOperator(tenant, TEMPLATES, documented);

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("destination_name").asString()).isEqualTo("S3 Destination");
    assertThat(body.get("destination_definition_id").asString()).isEqualTo(S3);
    assertThat(body.get("non_breaking_changes_preference").asString()).isEqualTo("ignore");
    assertThat(body.get("sync_on_create").asBoolean()).isTrue();
    assertThat(body.get("namespace_format").asString()).isEqualTo("${WORKSPACE_NAME}");
    assertThat(body.get("prefix").asString()).isEmpty();
    assertThat(body.get("cron_time_zone").asString()).isEqualTo("UTC");
    assertThat(body.get("destination_config").get("secret_access_key").asString())
        .isEqualTo("**********");
    assertThat(body.get("destination_config").get("access_key_id").asString())
        .isEqualTo("**********");
    assertThat(body.get("destination_config").get("s3_bucket_name").asString())
        .isEqualTo("customer-data");

    String row =
        jdbc.sql("select t::text from connection_templates t where id = ?::uuid")
            .param(body.get("id").asString())
            .query(String.class)
            .single();
    assertThat(row).doesNotContain("wJalrXUtnFEMI/K7MDENG").doesNotContain("AKIAEXAMPLE");
  }

  @Test
  void legacyFieldNameAndDocumentedCronExamplesAreAccepted() {
    var tenant = fixtures.tenant();
    for (String cron :
        List.of("0 0 12 * * ?", "0 0 6 * * ?", "0 0 * * * ?", "0 0 2 * * ?", "0 15 2 * * *")) {
      var response =
          http.post(
              TEMPLATES,
              tenant.operatorToken(),
              Map.of(
                  "destination_name",
                  "duck",
                  "destination_actor_definition_id",
                  DUCKDB,
                  "destination_config",
                  Map.of("destination_path", "/local/duck.db"),
                  "cron_expression",
                  cron,
                  "non_breaking_changes_preference",
                  "propagate_columns",
                  "sync_on_create",
                  false));
      assertThat(response.status()).as(cron + " " + response).isEqualTo(200);
      assertThat(response.json().get("sync_on_create").asBoolean()).isFalse();
    }
  }

  @Test
  void schedulesThatAreInvalidOrTooFrequentAre422() {
    var tenant = fixtures.tenant();
    assertInvalid(tenant, Map.of("cron_expression", "every day"), "[\"body\",\"cron_expression\"]");
    assertInvalid(tenant, Map.of("cron_expression", "string"), "[\"body\",\"cron_expression\"]");
    assertInvalid(
        tenant, Map.of("cron_expression", "0 * * * * ?"), "[\"body\",\"cron_expression\"]");
    // Every 4 minutes (one documented example) is under the 5-minute minimum of SPEC §7.
    var everyFour =
        assertInvalid(
            tenant, Map.of("cron_expression", "0 */4 * * * ?"), "[\"body\",\"cron_expression\"]");
    assertThat(everyFour.json().get("detail").get(0).get("msg").asString())
        .contains("4 minutes")
        .contains("5 minutes");
    assertInvalid(
        tenant,
        Map.of("cron_expression", "0 0 12 * * ?", "cron_time_zone", "Mars/Olympus"),
        "[\"body\",\"cron_time_zone\"]");

    var organizationMinimum =
        http.patch(
            "/api/v1/admin/organizations/" + tenant.organizationId(),
            Fixtures.ADMIN_KEY,
            Map.of("min_sync_interval_seconds", 7200));
    assertThat(organizationMinimum.status()).isEqualTo(200);
    assertInvalid(
        tenant, Map.of("cron_expression", "0 0 * * * ?"), "[\"body\",\"cron_expression\"]");
    assertThat(
            create(
                    tenant,
                    Map.of("cron_expression", "0 0 */2 * * ?", "cron_time_zone", "Europe/Paris"))
                .status())
        .isEqualTo(200);
  }

  @Test
  void invalidDestinationsAndFieldsAre422AndWriteNothing() {
    var tenant = fixtures.tenant();
    assertInvalid(
        tenant,
        Map.of("destination_definition_id", UUID.randomUUID().toString()),
        "[\"body\",\"destination_definition_id\"]");
    assertInvalid(
        tenant,
        Map.of("destination_definition_id", "decd338e-5647-4c0b-adf4-da0e75f5a750"),
        "[\"body\",\"destination_definition_id\"]");
    assertInvalid(
        tenant,
        Map.of("destination_config", Map.of()),
        "[\"body\",\"destination_config\",\"destination_path\"]");
    assertInvalid(
        tenant,
        Map.of("destination_config", Map.of("destination_path", 5)),
        "[\"body\",\"destination_config\",\"destination_path\"]");
    assertInvalid(
        tenant,
        Map.of("non_breaking_changes_preference", "always"),
        "[\"body\",\"non_breaking_changes_preference\"]");
    assertInvalid(
        tenant, Map.of("namespace_format", "${CUSTOMER}"), "[\"body\",\"namespace_format\"]");
    assertInvalid(
        tenant, Map.of("destination_name", "d".repeat(256)), "[\"body\",\"destination_name\"]");
    assertInvalid(tenant, Map.of("sync_on_create", "sometimes"), "[\"body\",\"sync_on_create\"]");

    assertThat(
            jdbc.sql("select count(*) from connection_templates where organization_id = ?")
                .param(tenant.organizationId())
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void cronDescribeExplainsOrRejects() {
    String token = fixtures.tenant().operatorToken();
    var valid =
        http.post(TEMPLATES + "/cron/describe", token, Map.of("cron_expression", "0 0 12 * * ?"))
            .json();
    assertThat(valid.get("is_valid").asBoolean()).isTrue();
    assertThat(valid.get("description").asString()).containsIgnoringCase("12");

    var invalid =
        http.post(TEMPLATES + "/cron/describe", token, Map.of("cron_expression", "not a cron"))
            .json();
    assertThat(invalid.get("is_valid").asBoolean()).isFalse();
    assertThat(invalid.get("description").asString()).isNotBlank();
  }

  @Test
  void patchAppliesGivenFieldsAndKeepsMaskedSecrets() {
    var tenant = fixtures.tenant();
    String id =
        fixtures
            .connectionTemplate(
                tenant,
                Map.of(
                    "destination_name",
                    "lake",
                    "destination_definition_id",
                    S3,
                    "destination_config",
                    s3Config("first-secret"),
                    "cron_expression",
                    "0 0 12 * * ?"))
            .json()
            .get("id")
            .asString();

    Map<String, Object> maskedConfig = new HashMap<>(s3Config("**********"));
    maskedConfig.put("access_key_id", "**********");
    maskedConfig.put("s3_bucket_path", "moved");
    var patched =
        http.patch(
            TEMPLATES + "/" + id,
            tenant.operatorToken(),
            Map.of(
                "cron_expression",
                "0 0 6 * * ?",
                "non_breaking_changes_preference",
                "propagate_fully",
                "destination_config",
                maskedConfig));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    JsonNode body = patched.json();
    assertThat(body.get("cron_expression").asString()).isEqualTo("0 0 6 * * ?");
    assertThat(body.get("non_breaking_changes_preference").asString()).isEqualTo("propagate_fully");
    assertThat(body.get("destination_name").asString()).isEqualTo("lake");
    assertThat(body.get("destination_config").get("s3_bucket_path").asString()).isEqualTo("moved");

    var cleared =
        http.patch(TEMPLATES + "/" + id, tenant.operatorToken(), Map.of("cron_expression", ""))
            .json();
    assertThat(cleared.get("cron_expression").isNull()).isTrue();

    var otherType =
        http.patch(
            TEMPLATES + "/" + id,
            tenant.operatorToken(),
            Map.of("destination_definition_id", DUCKDB));
    assertThat(otherType.status()).isEqualTo(422);
  }

  @Test
  void tagsFilterDeleteAndIsolation() {
    var tenant = fixtures.tenant();
    var stranger = fixtures.tenant();
    String warehouse =
        create(tenant, Map.of("tags", List.of("warehouse"))).json().get("id").asString();
    create(tenant, Map.of("tags", List.of("lake")));

    assertThat(http.get(TEMPLATES + "?tags=warehouse", tenant.operatorToken()).dataSize())
        .isEqualTo(1);
    assertThat(
            http.get(TEMPLATES + "?tags=warehouse&tags=lake&tags_mode=any", tenant.operatorToken())
                .dataSize())
        .isEqualTo(2);
    var tagged =
        http.post(
                TEMPLATES + "/" + warehouse + "/tags",
                tenant.operatorToken(),
                Map.of("tag", "gold"))
            .json();
    assertThat(tagged.get("tags").toString()).isEqualTo("[\"gold\",\"warehouse\"]");
    assertThat(
            http.delete(TEMPLATES + "/" + warehouse + "/tags/gold", tenant.operatorToken())
                .status())
        .isEqualTo(200);

    assertThat(http.get(TEMPLATES + "/" + warehouse, stranger.operatorToken()).status())
        .isEqualTo(404);
    assertThat(
            http.delete(TEMPLATES + "/" + warehouse, tenant.operatorToken())
                .json()
                .get("deleted_at")
                .asString())
        .isNotBlank();
    assertThat(http.get(TEMPLATES + "/" + warehouse, tenant.operatorToken()).body())
        .isEqualTo(
            "{\"detail\":\"Connection template not found\",\"message\":\"Connection template not found\"}");
  }

  private io.tributary.testing.Http.Response create(
      Fixtures.Tenant tenant, Map<String, Object> overrides) {
    Map<String, Object> body =
        new HashMap<>(
            Map.of(
                "destination_name",
                "duck",
                "destination_definition_id",
                DUCKDB,
                "destination_config",
                Map.of("destination_path", "/local/duck.db")));
    body.putAll(overrides);
    return http.post(TEMPLATES, tenant.operatorToken(), body);
  }

  private io.tributary.testing.Http.Response assertInvalid(
      Fixtures.Tenant tenant, Map<String, Object> overrides, String loc) {
    var response = create(tenant, overrides);
    assertInvalidAmong(response, loc);
    return response;
  }
}
