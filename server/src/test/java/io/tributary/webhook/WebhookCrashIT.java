package io.tributary.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tributary.testing.ApiTest;
import io.tributary.testing.WorkerProcess;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A node killed with SIGKILL in the middle of a webhook delivery (issue 15, acceptance 3): the
 * event was committed, the dying node had claimed its delivery and was waiting for the endpoint;
 * once its claim runs out, another node sends it again, with the same {@code webhook-id}.
 */
class WebhookCrashIT extends ApiTest {

  /** This server dispatches only when the test says so: the worker process must claim first. */
  @DynamicPropertySource
  static void noAutomaticDispatch(DynamicPropertyRegistry registry) {
    registry.add("tributary.webhooks.poll", () -> "1h");
  }

  @Autowired WebhookDispatcher dispatcher;

  @Test
  void aDeliveryClaimedByAKilledNodeIsSentByAnother() throws Exception {
    List<String> ids = new CopyOnWriteArrayList<>();
    CountDownLatch never = new CountDownLatch(1);
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
          if (ids.size() == 1) {
            try {
              never.await(2, TimeUnit.MINUTES); // the first node dies waiting for this answer
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    Process first = null;
    try {
      var tenant = fixtures.tenant();
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      JsonNode hook = fixtures.webhook(tenant.operatorToken(), url, List.of("*"));
      String id = hook.get("id").asString();
      first =
          WorkerProcess.start(
              "webhook-crash-worker.log",
              List.of("tributary.webhooks.claim=3s", "tributary.webhooks.poll=200ms"));
      var sent = http.post("/api/v1/webhooks/" + id + "/test", tenant.operatorToken(), null);
      assertThat(sent.status()).isEqualTo(202);
      await("the worker process claims the delivery and waits for the endpoint")
          .atMost(Duration.ofMinutes(2))
          .until(() -> !ids.isEmpty());
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      first.waitFor(30, TimeUnit.SECONDS);

      await("this node takes the delivery over once the dead node's claim ran out")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                dispatcher.dispatchDue();
                return ids.size() >= 2;
              });
      assertThat(ids.get(1)).as("the same webhook-id").isEqualTo(ids.get(0));
      JsonNode delivery = fixtures.awaitDelivered(tenant.operatorToken(), id);
      assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
    } finally {
      never.countDown();
      if (first != null) {
        first.destroyForcibly();
      }
      receiver.stop(0);
    }
  }
}
