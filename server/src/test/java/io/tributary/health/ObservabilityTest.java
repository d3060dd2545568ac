package io.tributary.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;

@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest extends ApiTest {

  @LocalManagementPort int managementPort;

  @Test
  void prometheusShowsRouteLatencyTokensAndRateLimitRejections() {
    var tenant = fixtures.tenant(1);
    fixtures.scopedToken(tenant, "metrics");
    fixtures.requestScopedToken(tenant, Map.of("workspace_name", "metrics"));

    var metrics = new Http(managementPort).get("/metrics", null);

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body())
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*uri=\"/api/v1/embedded/scoped-token\"")
        .containsPattern("tributary_tokens_issued_total\\{[^}]*kind=\"operator\"")
        .containsPattern("tributary_tokens_issued_total\\{[^}]*kind=\"scoped\"")
        .containsPattern("tributary_ratelimit_rejections_total\\{[^}]*bucket=\"organization\"");
  }

  @Test
  void logLinesCarryTheRequestIdAndNoSecrets(CapturedOutput output) {
    var tenant = fixtures.tenant();
    String scoped = fixtures.scopedToken(tenant, "logs");
    http.send(
        "GET",
        "/api/v1/embedded/scoped-token/info",
        scoped,
        null,
        Map.of("X-Request-Id", "trace-obs-42"));

    assertThat(output.getAll())
        .containsPattern(
            "\\[trace-obs-42] io.tributary.access - GET /api/v1/embedded/scoped-token/info 200");
    assertThat(output.getAll())
        .doesNotContain(tenant.clientSecret())
        .doesNotContain(tenant.operatorToken())
        .doesNotContain(scoped);
  }
}
