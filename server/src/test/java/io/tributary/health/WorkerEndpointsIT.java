package io.tributary.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.FreePort;
import io.tributary.testing.WorkerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@code tributary worker} process answers health checks and serves its sync metrics on its local
 * metrics port.
 */
class WorkerEndpointsIT extends ApiTest {

  @Test
  void aWorkerProcessAnswersHealthAndMetrics() throws Exception {
    int metrics = FreePort.belowEphemeralRange();
    Process worker =
        WorkerProcess.start(
            "endpoints-worker.log", List.of("tributary.metrics-port=" + metrics), "--region", "eu");
    try {
      HttpClient client = HttpClient.newHttpClient();
      await("worker health")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> get(client, metrics, "/health").statusCode() == 200);
      assertThat(get(client, metrics, "/health").body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(get(client, metrics, "/health/live").body()).isEqualTo("{\"status\":\"ok\"}");
      var scrape = get(client, metrics, "/metrics");
      assertThat(scrape.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(scrape.body())
          .contains("tributary_sync_running")
          .contains("jvm_memory_used_bytes")
          // the queue depth the Helm chart's autoscaler reads: a count from the database, not NaN
          .containsPattern("(?m)^tributary_sync_queued\\{[^}]*\\} [0-9]+(\\.0)?$");
    } finally {
      worker.destroy();
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static HttpResponse<String> get(HttpClient client, int port, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
