package io.tributary.egress;

import static io.tributary.testing.Fixtures.FILE;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import tools.jackson.databind.JsonNode;

/**
 * SPEC §17 through the API: an end user's file source cannot fetch Tributary's own API or metrics
 * under any local name, even on this test instance whose operator allows loopback
 * (TRIBUTARY_EGRESS_ALLOW) for its test servers.
 */
class EgressApiTest extends ApiTest {

  @LocalManagementPort int metricsPort;

  @Test
  void anEndUsersFileSourceCannotFetchTheApiOrTheMetricsOfTributaryItself() {
    String[] user = endUser();
    for (String host : List.of("127.0.0.1", "localhost", "0.0.0.0", "127.0.0.2", "[::1]")) {
      for (String url :
          List.of(
              "http://" + host + ":" + port + "/api/v1/health",
              "http://" + host + ":" + metricsPort + "/metrics")) {
        JsonNode status = check(user, url);
        assertThat(status.get("status").asString()).as(url).isEqualTo("failed");
        assertThat(status.get("message").asString())
            .as(url)
            .startsWith("Tributary does not connect to")
            .contains("Tributary's own services")
            .doesNotContain("tributary_");
      }
    }
  }

  @Test
  void linkLocalIsRefusedAndAllowedLoopbackIsReached() throws Exception {
    String[] user = endUser();
    assertThat(
            check(user, "http://169.254.169.254/latest/meta-data/iam/security-credentials/")
                .get("message")
                .asString())
        .contains("link-local");

    AtomicInteger served = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/people.csv",
        exchange -> {
          served.incrementAndGet();
          byte[] body = "id,name\n1,Ada\n".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      JsonNode status =
          check(user, "http://127.0.0.1:" + server.getAddress().getPort() + "/people.csv");
      assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("succeeded");
      assertThat(served.get()).isPositive();
    } finally {
      server.stop(0);
    }
  }

  /** A scoped token and a file-source template of a new organization. */
  private String[] endUser() {
    var tenant = fixtures.tenant();
    String template = fixtures.sourceTemplate(tenant, FILE, Map.of(), Map.of());
    return new String[] {fixtures.scopedToken(tenant, "customer"), template};
  }

  private JsonNode check(String[] user, String url) {
    var response =
        http.post(
            "/api/v1/embedded/sources/check",
            user[0],
            Map.of("source_template_id", user[1], "source_config", Fixtures.csvFile(url, "HTTPS")));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }
}
