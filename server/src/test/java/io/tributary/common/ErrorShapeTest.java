package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
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
    assertThat(response.body()).isEqualTo("{\"detail\":\"Not Found\"}");
    assertThat(http.get("/nothing/here.html", null).body()).isEqualTo("{\"detail\":\"Not Found\"}");
  }

  @Test
  void wrongMethodIs405Json() {
    var response = http.send("DELETE", "/api/v1/account/applications/token", null, null, Map.of());
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
    assertThat(response.header("Allow")).contains("POST");
  }

  @Test
  void wrongMediaTypeIs415Json() {
    var response = http.send("POST", "/api/v1/account/applications/token", null, "client_id=x",
        Map.of("Content-Type", "application/x-www-form-urlencoded"));
    assertThat(response.status()).isEqualTo(415);
    assertThat(response.json().get("detail").asString()).contains("application/json");
  }

  @Test
  void malformedJsonIs422WithLocation() {
    var response = http.post("/api/v1/account/applications/token", null, "{\"client_id\": ");
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().get("detail").get(0).get("type").asString()).isEqualTo("value_error.jsondecode");
  }

  @Test
  void wrongTypesAre422NamingTheField() {
    var tenant = fixtures.tenant();
    var response = http.post("/api/v1/embedded/scoped-token", tenant.operatorToken(),
        Map.of("workspace_name", "w", "region_id", "not-a-uuid"));
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"region_id\"]");

    var list = http.post("/api/v1/embedded/scoped-token", tenant.operatorToken(), "[1, 2]");
    assertThat(list.status()).isEqualTo(422);
  }

  @Test
  void emptyBodyIs422() {
    var tenant = fixtures.tenant();
    var response = http.send("POST", "/api/v1/embedded/scoped-token", tenant.operatorToken(), "",
        Map.of("Content-Type", "application/json"));
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().get("detail").get(0).get("type").asString()).isEqualTo("value_error.missing");
  }

  @Test
  void unknownFieldsAreIgnored() {
    var tenant = fixtures.tenant();
    var response = http.post("/api/v1/embedded/scoped-token", tenant.operatorToken(),
        Map.of("workspace_name", "w", "something_new", true));
    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void badUuidInPathIs422() {
    var tenant = fixtures.tenant();
    var response = http.post("/api/v1/workspaces/not-a-uuid/revoke-tokens", tenant.operatorToken(), null);
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"path\",\"workspaceId\"]");
  }

  @Test
  void oversizeBodyIs413WhetherDeclaredOrStreamed() throws Exception {
    String big = "{\"client_id\": \"" + "x".repeat(1024 * 1024 + 10) + "\", \"client_secret\": \"y\"}";
    var declared = http.post("/api/v1/account/applications/token", null, big);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().get("detail").asString()).contains("too large");

    // Chunked: no Content-Length, so the limit is enforced while reading.
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(http.base() + "/api/v1/account/applications/token"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
        .build();
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(chunked, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("too large");
  }

  @Test
  void requestIdIsEchoedOrGenerated() {
    var echoed = http.send("GET", "/api/v1/health", null, null, Map.of("X-Request-Id", "trace-123"));
    assertThat(echoed.header("X-Request-Id")).isEqualTo("trace-123");

    var generated = http.get("/api/v1/health", null);
    assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");

    var unsafe = http.send("GET", "/api/v1/health", null, null, Map.of("X-Request-Id", "bad id\twith spaces"));
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
