package io.tributary.common;

import static io.tributary.testing.ApiAssertions.assertInvalidAs;
import static io.tributary.testing.ApiAssertions.assertInvalidAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Http;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every failure answers in JSON with a 4xx, never an HTML page, a stack trace or a 500. */
class ErrorShapeTest extends ApiTest {

  @Test
  void unknownRouteIs404Json() {
    var response = http.get("/api/v1/no-such-thing", null);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"detail\":\"Not Found\",\"message\":\"Not Found\"}");
    assertThat(http.get("/nothing/here.html", null).body())
        .isEqualTo("{\"detail\":\"Not Found\",\"message\":\"Not Found\"}");
    // the container's error page asked for by name is no server error
    var errorPage = http.get("/error", fixtures.tenant().operatorToken());
    assertThat(errorPage.status()).as(errorPage.toString()).isEqualTo(404);
  }

  @Test
  void wrongMethodIs405Json() {
    var response = http.delete("/api/v1/account/applications/token", null);
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.body())
        .isEqualTo("{\"detail\":\"Method Not Allowed\",\"message\":\"Method Not Allowed\"}");
    assertThat(response.header("Allow")).contains("POST");
  }

  @Test
  void wrongMediaTypeIs415Json() {
    var response =
        http.send(
            "POST",
            "/api/v1/account/applications/token",
            null,
            "client_id=x",
            Map.of("Content-Type", "application/x-www-form-urlencoded"));
    assertThat(response.status()).isEqualTo(415);
    assertThat(response.json().get("detail").asString()).contains("application/json");
  }

  @Test
  void malformedJsonIs422WithLocation() {
    var response = http.post("/api/v1/account/applications/token", null, "{\"client_id\": ");
    assertInvalidAs(response, "value_error.jsondecode");
  }

  @Test
  void wrongTypesAre422NamingTheField() {
    var tenant = fixtures.tenant();
    var response =
        fixtures.requestScopedToken(
            tenant, Map.of("workspace_name", "w", "region_id", "not-a-uuid"));
    assertInvalidAt(response, "[\"body\",\"region_id\"]");

    var list = fixtures.requestScopedToken(tenant, "[1, 2]");
    assertThat(list.status()).isEqualTo(422);
  }

  @Test
  void emptyBodyIs422() {
    var tenant = fixtures.tenant();
    var response = fixtures.requestScopedToken(tenant, "");
    assertInvalidAs(response, "value_error.missing");
  }

  @Test
  void unknownFieldsAreIgnored() {
    var tenant = fixtures.tenant();
    var response =
        fixtures.requestScopedToken(tenant, Map.of("workspace_name", "w", "something_new", true));
    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void badUuidInPathIs422() {
    var tenant = fixtures.tenant();
    var response =
        http.post("/api/v1/workspaces/not-a-uuid/revoke-tokens", tenant.operatorToken(), null);
    assertInvalidAt(response, "[\"path\",\"workspaceId\"]");
  }

  @Test
  void oversizeBodyIs413WhetherDeclaredOrStreamed() throws Exception {
    String big =
        "{\"client_id\": \"" + "x".repeat(1024 * 1024 + 10) + "\", \"client_secret\": \"y\"}";
    var declared = http.post("/api/v1/account/applications/token", null, big);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().get("detail").asString()).contains("too large");

    // Chunked: no Content-Length, so the limit is enforced while reading.
    HttpRequest chunked =
        HttpRequest.newBuilder(URI.create(http.base() + "/api/v1/account/applications/token"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(big.getBytes())))
            .build();
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(chunked, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("too large");
  }

  @Test
  void aNulInAnyStringIs422AndChangesNothing() {
    var tenant = fixtures.tenant();
    String token = tenant.operatorToken();
    String workspaceId = fixtures.workspaceId(fixtures.scopedToken(tenant, "clean")).toString();
    String workspace = "/api/v1/workspaces/" + workspaceId;
    String nul = "\"a\\u0000b\"";
    String[][] attempts = {
      {"PUT", workspace, "{\"name\":" + nul + "}", "[\"body\",\"name\"]"},
      {"PUT", "/api/v1/embedded/widget-theme", "{\"name\":" + nul + "}", "[\"body\",\"name\"]"},
      {
        "POST",
        "/api/v1/integrations/templates/tags",
        "{\"name\":" + nul + "}",
        "[\"body\",\"name\"]"
      },
      {
        "POST",
        "/api/v1/embedded/scoped-token",
        "{\"workspace_name\":" + nul + "}",
        "[\"body\",\"workspace_name\"]"
      },
      {
        "POST",
        "/api/v1/integrations/templates/sources",
        "{\"actor_definition_id\":\"dfd88b22-b603-4c3d-aad7-3701784586b1\","
            + "\"partial_default_config\":{\"hosts\":[\"a\","
            + nul
            + "]}}",
        "[\"body\",\"partial_default_config\",\"hosts\",1]"
      },
      // a field the route ignores is refused too: "any string" (SPEC §1)
      {"PUT", workspace, "{\"ignored\\u0000\":1}", "[\"body\",\"ignored\\u0000\"]"}
    };
    for (String[] attempt : attempts) {
      var response = http.send(attempt[0], attempt[1], token, attempt[2], Map.of());
      String label = attempt[0] + " " + attempt[1] + " " + attempt[2];
      assertThat(response.status()).as(label + " → " + response).isEqualTo(422);
      assertThat(response.errorLocation()).as(label).isEqualTo(attempt[3]);
      assertThat(response.errorType()).isEqualTo("value_error.str.nul");
      assertThat(response.json().get("message").asString()).as(label).contains("NUL");
    }
    var search = http.get("/api/v1/workspaces?name_contains=%00", token);
    assertInvalidAt(search, "[\"query\",\"name_contains\"]");
    assertThat(http.get("/api/v1/workspaces/" + workspaceId, token).json().get("name").asString())
        .isEqualTo("clean");
    assertThat(http.get("/api/v1/integrations/templates/tags", token).json().get("data")).isEmpty();
  }

  @Test
  void unpairedSurrogatesAndOverlongUtf8InBodiesAre422() {
    var tenant = fixtures.tenant();
    String token = tenant.operatorToken();
    for (String name : java.util.List.of("\\ud800", "a\\udc00", "\\ude00\\ud83d")) {
      var response =
          http.post("/api/v1/integrations/templates/tags", token, "{\"name\":\"" + name + "\"}");
      assertThat(response.status()).as(name + " " + response).isEqualTo(422);
      assertThat(response.errorType()).isEqualTo("value_error.str.unicode");
    }
    assertThat(
            http.post("/api/v1/integrations/templates/tags", token, "{\"name\":\"\\ud83d\\ude00\"}")
                .status())
        .isEqualTo(200);

    // C0 AF is an overlong '/': a lenient decoder turns it into a slash behind every check on the
    // text
    byte[] overlong = {
      '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'a', (byte) 0xC0, (byte) 0xAF, 'b', '"', '}'
    };
    var raw =
        new io.tributary.testing.RawHttp(port)
            .send(
                "POST",
                "/api/v1/integrations/templates/tags",
                Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                overlong);
    assertThat(raw.status()).as(raw.toString()).isEqualTo(422);
    assertThat(raw.body()).contains("not valid UTF-8");
    assertThat(http.get("/api/v1/integrations/templates/tags", token).json().get("data"))
        .hasSize(1);
  }

  @Test
  void queryStringsThatAreNotTextAre422() {
    String token = fixtures.tenant().operatorToken();
    for (String query :
        java.util.List.of(
            "x=%zz", "limit=%", "name_contains=%C0%AF", "name_contains=%ED%A0%80", "%00=1")) {
      var response =
          new io.tributary.testing.RawHttp(port)
              .send(
                  "GET",
                  "/api/v1/workspaces?" + query,
                  Map.of("Authorization", "Bearer " + token),
                  null);
      assertThat(response.status()).as(query + " " + response).isEqualTo(422);
      assertThat(response.header("Content-Type")).startsWith("application/json");
      assertThat(response.header("X-RateLimit-Limit")).as(query).isNotBlank();
    }
    var tooMany = http.get("/api/v1/workspaces?" + "a=1&".repeat(1500), token);
    assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(400);
    assertThat(tooMany.json().get("message").asString()).contains("query string");
  }

  @Test
  void whatTheContainerRefusesIsJsonToo() {
    var raw = new io.tributary.testing.RawHttp(port);
    for (String target :
        java.util.List.of(
            "/api/v1/workspaces/%00",
            "/api/v1/workspaces/..%2F..%2F", "/api/v1/workspaces/%C0%AF")) {
      var response = raw.send("GET", target, Map.of(), null);
      assertThat(response.status()).as(target).isEqualTo(400);
      assertThat(response.header("Content-Type")).as(target).startsWith("application/json");
      assertThat(Http.JSON.readTree(response.body()).get("detail").asString())
          .contains("malformed");
      assertThat(Http.JSON.readTree(response.body()).get("message").asString())
          .contains("malformed");
      assertThat(response.header("X-Request-Id")).isNotBlank();
    }
  }

  @Test
  void errorBodiesCarryMessageBesideDetail() {
    var notFound = http.get("/api/v1/no-such-thing", null).json();
    assertThat(notFound.get("message").asString()).isEqualTo(notFound.get("detail").asString());
    var invalid =
        http.post("/api/v1/account/applications/token", null, "{\"client_id\": \"x\"}").json();
    assertThat(invalid.get("detail").isArray()).isTrue();
    assertThat(invalid.get("message").asString()).isEqualTo("body.client_secret: field required");
  }

  @Test
  void requestIdIsEchoedOrGenerated() {
    var echoed =
        http.send("GET", "/api/v1/health", null, null, Map.of("X-Request-Id", "trace-123"));
    assertThat(echoed.header("X-Request-Id")).isEqualTo("trace-123");

    var generated = http.get("/api/v1/health", null);
    assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");

    var unsafe =
        http.send(
            "GET", "/api/v1/health", null, null, Map.of("X-Request-Id", "bad id\twith spaces"));
    assertThat(unsafe.header("X-Request-Id")).matches("[0-9a-f-]{36}");
  }

  @Test
  void healthAndDocsAreServed() {
    assertThat(http.get("/api/v1/health", null).body()).isEqualTo("{\"status\":\"ok\"}");
    var openapi = http.get("/api/v1/openapi.json", null);
    assertThat(openapi.status()).isEqualTo(200);
    assertThat(openapi.json().get("paths").has("/api/v1/embedded/widget-token")).isTrue();
    var docs = http.get("/api/v1/docs", null);
    assertThat(docs.status()).isIn(200, 302);
  }
}
