package io.tributary.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WorkspaceApiTest extends ApiTest {

  private String id(Fixtures.Tenant tenant, String name) {
    return fixtures.workspaceId(fixtures.scopedToken(tenant, name)).toString();
  }

  @Test
  void getShowsTheDocumentedFields() {
    var tenant = fixtures.tenant();
    String id = id(tenant, "acme");
    JsonNode workspace = http.get("/api/v1/workspaces/" + id, tenant.operatorToken()).json();

    assertThat(workspace.propertyNames())
        .containsExactlyInAnyOrder(
            "id", "name", "organization_id", "region_id", "status", "created_at", "updated_at");
    assertThat(workspace.get("name").asString()).isEqualTo("acme");
    assertThat(workspace.get("status").asString()).isEqualTo("active");
    assertThat(workspace.get("created_at").asString()).endsWith("Z");
  }

  @Test
  void listFiltersByNameAndStatusAndPagesWithAbsoluteNextUrls() {
    var tenant = fixtures.tenant();
    for (String name : List.of("Alpha Co", "alphabet", "beta", "gamma_1", "gamma%2")) {
      id(tenant, name);
    }
    http.put(
        "/api/v1/workspaces/" + id(tenant, "beta"),
        tenant.operatorToken(),
        Map.of("status", "inactive"));

    assertThat(names(http.get("/api/v1/workspaces?name_contains=ALPHA", tenant.operatorToken())))
        .containsExactly("Alpha Co", "alphabet");
    assertThat(names(http.get("/api/v1/workspaces?name_contains=a_1", tenant.operatorToken())))
        .containsExactly("gamma_1");
    assertThat(names(http.get("/api/v1/workspaces?name_contains=%25", tenant.operatorToken())))
        .containsExactly("gamma%2");
    assertThat(names(http.get("/api/v1/workspaces?status=inactive", tenant.operatorToken())))
        .containsExactly("beta");

    List<String> walked = new ArrayList<>();
    String next = "/api/v1/workspaces?limit=2";
    int pages = 0;
    while (next != null) {
      var page = http.get(next, tenant.operatorToken());
      assertThat(page.status()).isEqualTo(200);
      walked.addAll(names(page));
      JsonNode link = page.json().get("next");
      next = link.isNull() ? null : pathOf(link.asString());
      if (next != null) {
        assertThat(link.asString())
            .startsWith("http://localhost:" + port + "/api/v1/workspaces?")
            .contains("limit=2");
      }
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(walked).containsExactly("Alpha Co", "alphabet", "beta", "gamma_1", "gamma%2");
  }

  @Test
  void statsCountByStatus() {
    var tenant = fixtures.tenant();
    id(tenant, "one");
    id(tenant, "two");
    http.put(
        "/api/v1/workspaces/" + id(tenant, "three"),
        tenant.operatorToken(),
        Map.of("status", "inactive"));

    JsonNode stats = http.get("/api/v1/workspaces/stats", tenant.operatorToken()).json();
    assertThat(stats.get("active_count").asInt()).isEqualTo(2);
    assertThat(stats.get("inactive_count").asInt()).isEqualTo(1);
    assertThat(stats.get("total_count").asInt()).isEqualTo(3);
  }

  @Test
  void updateRenamesAndRefusesBadStatusOrTakenNames() {
    var tenant = fixtures.tenant();
    String id = id(tenant, "old-name");
    id(tenant, "taken");

    var renamed =
        http.put("/api/v1/workspaces/" + id, tenant.operatorToken(), Map.of("name", "new-name"));
    assertThat(renamed.json().get("name").asString()).isEqualTo("new-name");

    var badStatus =
        http.put("/api/v1/workspaces/" + id, tenant.operatorToken(), Map.of("status", "paused"));
    assertThat(badStatus.status()).isEqualTo(422);
    assertThat(badStatus.body())
        .isEqualTo(
            "{\"detail\":[{\"loc\":[\"body\",\"status\"],"
                + "\"msg\":\"value is not a valid enumeration member; permitted: 'active', 'inactive'\",\"type\":\"type_error.enum\"}],"
                + "\"message\":\"body.status: value is not a valid enumeration member; permitted: 'active', 'inactive'\"}");

    var taken =
        http.put("/api/v1/workspaces/" + id, tenant.operatorToken(), Map.of("name", "taken"));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(
            http.get("/api/v1/workspaces/" + id, tenant.operatorToken())
                .json()
                .get("name")
                .asString())
        .isEqualTo("new-name");
  }

  @Test
  void deleteSoftDeletesRevokesTokensAndFreesTheName() {
    var tenant = fixtures.tenant();
    String token = fixtures.scopedToken(tenant, "leaving");
    String id = fixtures.workspaceId(token).toString();

    var deleted = http.delete("/api/v1/workspaces/" + id, tenant.operatorToken());
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("id").asString()).isEqualTo(id);
    assertThat(deleted.json().get("deleted_at").asString()).isNotBlank();

    assertThat(http.get("/api/v1/embedded/scoped-token/info", token).status()).isEqualTo(401);
    var gone = http.get("/api/v1/workspaces/" + id, tenant.operatorToken());
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body())
        .isEqualTo("{\"detail\":\"Workspace not found\",\"message\":\"Workspace not found\"}");
    assertThat(http.delete("/api/v1/workspaces/" + id, tenant.operatorToken()).status())
        .isEqualTo(404);

    String reborn = id(tenant, "leaving");
    assertThat(reborn).isNotEqualTo(id);
  }

  @Test
  void anotherOrganizationsWorkspaceIs404AndScopedTokensAre403() {
    var tenant = fixtures.tenant();
    var stranger = fixtures.tenant();
    String id = id(tenant, "private");

    assertThat(http.get("/api/v1/workspaces/" + id, stranger.operatorToken()).status())
        .isEqualTo(404);
    assertThat(http.get("/api/v1/workspaces", fixtures.scopedToken(tenant, "private")).status())
        .isEqualTo(403);
    assertThat(names(http.get("/api/v1/workspaces", stranger.operatorToken()))).isEmpty();
  }

  @Test
  void badPagingParametersAre422() {
    var tenant = fixtures.tenant();
    for (String query :
        List.of("limit=0", "limit=101", "limit=x", "cursor=not-a-cursor", "status=paused")) {
      var response = http.get("/api/v1/workspaces?" + query, tenant.operatorToken());
      assertThat(response.status()).as(query).isEqualTo(422);
      assertThat(response.json().get("detail").get(0).get("loc").get(0).asString())
          .isEqualTo("query");
    }
  }

  @Test
  void regionsAreListed() {
    var regions = http.get("/api/v1/regions", fixtures.tenant().operatorToken()).json().get("data");
    assertThat(regions.toString())
        .contains("645a183f-b12b-4c6e-8ad3-99e165603450")
        .contains("b9e48d61-f082-4a14-a8d0-799a907938cb");
  }

  static List<String> names(Http.Response page) {
    List<String> names = new ArrayList<>();
    page.json().get("data").forEach(w -> names.add(w.get("name").asString()));
    return names;
  }

  static String pathOf(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + "?" + uri.getRawQuery();
  }
}
