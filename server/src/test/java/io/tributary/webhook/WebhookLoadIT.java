package io.tributary.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tributary.event.EventLog;
import io.tributary.testing.ApiTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A thousand events to an endpoint that takes 2 seconds to answer (issue 15, acceptance 4): the
 * API's latency and a sync's duration, measured before and while they are delivered, side by side
 * in one run. Deliveries wait on virtual threads, so neither moves beyond noise.
 */
class WebhookLoadIT extends ApiTest {

  static final int EVENTS = 1000;
  static final int CALLS = 300;

  @Autowired EventLog events;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcClient jdbc;

  @Test
  void aThousandEventsToASlowEndpointSlowNeitherTheApiNorASync() throws Exception {
    AtomicInteger answered = new AtomicInteger();
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    slow.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          try {
            Thread.sleep(2000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
          answered.incrementAndGet();
        });
    slow.start();
    try {
      var tenant = fixtures.tenant();
      String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/hook";
      String hook =
          fixtures
              .webhook(tenant.operatorToken(), url, List.of("webhook.test"))
              .get("id")
              .asString();
      String template = fixtures.fakerTemplate(tenant, 7);
      fixtures.lakeTemplate(tenant, "lake", "/local/webhook-load", Map.of());
      String scoped = fixtures.scopedToken(tenant, "load corp");
      String connection = fixtures.embeddedConnection(scoped, template, Map.of("count", 20_000));
      fixtures.sync(tenant.operatorToken(), connection); // warm-up: JIT, connector, destination

      long quietSync = syncMillis(tenant.operatorToken(), connection);
      long quietP99 = p99(tenant.operatorToken());

      transactions.executeWithoutResult(
          status -> {
            for (int i = 0; i < EVENTS; i++) {
              events.record(
                  tenant.organizationId(),
                  null,
                  "webhook.test",
                  JsonNodeFactory.instance.objectNode().put("n", i));
            }
          });
      await("deliveries under way")
          .atMost(Duration.ofSeconds(20))
          .until(() -> delivering(hook) > 0);
      long busySync = syncMillis(tenant.operatorToken(), connection);
      long busyP99 = p99(tenant.operatorToken());
      assertThat(delivering(hook)).as("still delivering while measured").isPositive();

      System.out.printf(
          "webhook load: API p99 %d ms quiet, %d ms with deliveries; sync %d ms quiet, %d ms with"
              + " deliveries%n",
          quietP99, busyP99, quietSync, busySync);
      assertThat(busyP99).as("API p99 (ms)").isLessThanOrEqualTo(quietP99 * 2 + 50);
      assertThat(busySync).as("sync (ms)").isLessThanOrEqualTo(quietSync * 3 / 2 + 2000);

      await("every event delivered")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> delivered(hook) == EVENTS);
    } finally {
      slow.stop(0);
    }
  }

  private long syncMillis(String token, String connection) {
    long start = System.nanoTime();
    JsonNode job = fixtures.sync(token, connection);
    assertThat(job.get("status").asString()).isEqualTo("succeeded");
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** The 99th percentile of a list call's latency, in milliseconds. */
  private long p99(String token) {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      long start = System.nanoTime();
      assertThat(http.get("/api/v1/webhooks", token).status()).isEqualTo(200);
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    Collections.sort(millis);
    return millis.get((int) Math.ceil(CALLS * 0.99) - 1);
  }

  private long delivering(String hook) {
    return jdbc.sql(
            "select count(*) from webhook_deliveries where endpoint_id = ? and status in"
                + " ('pending', 'delivering')")
        .param(UUID.fromString(hook))
        .query(Long.class)
        .single();
  }

  private long delivered(String hook) {
    return jdbc.sql(
            "select count(*) from webhook_deliveries where endpoint_id = ? and status = 'delivered'")
        .param(UUID.fromString(hook))
        .query(Long.class)
        .single();
  }
}
