package io.tributary.tag;

import static io.tributary.testing.Fixtures.FAKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagApiTest extends ApiTest {

  private static final String TAGS = "/api/v1/integrations/templates/tags";

  @Test
  void createListRenameDelete() {
    var tenant = fixtures.tenant();
    var created = http.post(TAGS, tenant.operatorToken(), Map.of("name", "pro-tier"));
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.json().propertyNames())
        .containsExactlyInAnyOrder("id", "name", "organization_id", "created_at", "updated_at");

    assertThat(http.post(TAGS, tenant.operatorToken(), Map.of("name", "pro-tier")).status())
        .isEqualTo(409);
    assertThat(
            http.get(TAGS, tenant.operatorToken()).json().get("data").get(0).get("name").asString())
        .isEqualTo("pro-tier");

    var renamed = http.put(TAGS + "/pro-tier", tenant.operatorToken(), Map.of("name", "premium"));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().get("name").asString()).isEqualTo("premium");
    assertThat(renamed.json().get("id").asString()).isEqualTo(created.json().get("id").asString());

    var deleted = http.delete(TAGS + "/premium", tenant.operatorToken());
    assertThat(deleted.json().get("id").asString()).isEqualTo(created.json().get("id").asString());
    assertThat(deleted.json().get("deleted_at").asString()).isNotBlank();
    assertThat(http.get(TAGS, tenant.operatorToken()).dataSize()).isZero();
  }

  @Test
  void documentedErrors() {
    var tenant = fixtures.tenant();
    var unknown = http.put(TAGS + "/invalid-tag", tenant.operatorToken(), Map.of("name", "x"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body())
        .isEqualTo(
            "{\"detail\":\"Template tag with name 'invalid-tag' not found.\",\"message\":\"Template tag with name 'invalid-tag' not found.\"}");
    assertThat(http.delete(TAGS + "/invalid-tag", tenant.operatorToken()).status()).isEqualTo(404);

    var tooLong = http.post(TAGS, tenant.operatorToken(), Map.of("name", "x".repeat(256)));
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(tooLong.body())
        .isEqualTo(
            "{\"detail\":[{\"loc\":[\"body\",\"name\"],"
                + "\"msg\":\"ensure this value has at most 255 characters\",\"type\":\"value_error.any_str.max_length\"}],"
                + "\"message\":\"body.name: ensure this value has at most 255 characters\"}");
  }

  @Test
  void renameAndDeleteReachEveryTemplate() {
    var tenant = fixtures.tenant();
    String template =
        fixtures.sourceTemplate(
            tenant, FAKER, Map.of(), Map.of("tags", List.of("crm", "pro-tier")));

    http.put(TAGS + "/crm", tenant.operatorToken(), Map.of("name", "sales"));
    assertThat(tags(tenant, template)).containsExactly("pro-tier", "sales");

    http.delete(TAGS + "/pro-tier", tenant.operatorToken());
    assertThat(tags(tenant, template)).containsExactly("sales");
  }

  @Test
  void tagsAreSeparatePerOrganization() {
    var one = fixtures.tenant();
    var two = fixtures.tenant();
    http.post(TAGS, one.operatorToken(), Map.of("name", "shared"));
    assertThat(http.post(TAGS, two.operatorToken(), Map.of("name", "shared")).status())
        .isEqualTo(200);
    assertThat(http.delete(TAGS + "/shared", two.operatorToken()).status()).isEqualTo(200);
    assertThat(http.get(TAGS, one.operatorToken()).dataSize()).isEqualTo(1);
  }

  private List<String> tags(Fixtures.Tenant tenant, String template) {
    var body =
        http.get("/api/v1/integrations/templates/sources/" + template, tenant.operatorToken())
            .json();
    return body.get("tags").valueStream().map(n -> n.asString()).toList();
  }
}
