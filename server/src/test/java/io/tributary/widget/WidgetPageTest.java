package io.tributary.widget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The widget's page and files over plain HTTP: who may frame the page, what it may load, what bad
 * links get.
 */
class WidgetPageTest extends ApiTest {

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageMayBeFramedOnlyByItsAllowedOriginAndLoadsOnlyItsOwnFiles() throws Exception {
    var page =
        get(
            "/embedded-widget?workspaceId="
                + UUID.randomUUID()
                + "&allowedOrigin=https%3A%2F%2FApp.Example.com%3A443");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy)
        .contains("frame-ancestors https://app.example.com")
        .contains("script-src 'self'")
        .contains("connect-src 'self'")
        .doesNotContain("unsafe");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.body()).contains("/widget/v1/app.js").doesNotContain("<script>");
  }

  @Test
  void badLinksAreRefusedInTheDocumentedShape() throws Exception {
    for (String origin :
        new String[] {
          "",
          "https://app.example.com/",
          "https://*.example.com",
          "javascript:alert(1)",
          "https://app.example.com/path",
          "https://a.example.com%20frame-ancestors%20*"
        }) {
      var page =
          get(
              "/embedded-widget?workspaceId="
                  + UUID.randomUUID()
                  + "&allowedOrigin="
                  + origin.replace(" ", "%20"));
      assertThat(page.statusCode()).as(origin).isEqualTo(422);
      assertThat(page.body()).as(origin).startsWith("{\"detail\":").contains("allowedOrigin");
    }
    var browser =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:"
                                + port
                                + "/embedded-widget?workspaceId=nope&allowedOrigin=https://app.example.com"))
                    .header("Accept", "text/html,*/*")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(browser.statusCode()).as("a browser gets a page").isEqualTo(422);
    assertThat(browser.body())
        .contains("This widget link is not valid")
        .contains("workspaceId must be a workspace id");
    var noWorkspace =
        get("/embedded-widget?workspaceId=nope&allowedOrigin=https://app.example.com");
    assertThat(noWorkspace.statusCode()).isEqualTo(422);
    assertThat(noWorkspace.body()).contains("workspaceId");
  }

  @Test
  void theDemoPageIsOffOnAnExternalDatabase() throws Exception {
    assertThat(get("/demo").statusCode()).isEqualTo(404);
    var token =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/demo/widget-token"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).isEqualTo(404);
  }

  @Test
  void theEmbedScriptAndAppFilesAreServedWithoutAToken() throws Exception {
    var script = get("/widget/v1/widget.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
    assertThat(script.body())
        .contains("AirbyteEmbeddedWidget")
        .contains("TributaryWidget")
        .contains("auth_token_request");
    assertThat(get("/widget/v1/app.js").statusCode()).isEqualTo(200);
    assertThat(get("/widget/v1/app.css").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    assertThat(get("/widget/v1/other.js").statusCode()).isEqualTo(404);
  }
}
