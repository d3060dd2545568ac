package io.tributary.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.tributary.testing.ApiTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks as an operator's receiver sees them (SPEC §16, issue 15): every delivery is checked with
 * the Standard Webhooks reference library for Java ({@code com.standardwebhooks}), not with
 * Tributary's own signing code.
 */
class WebhookDeliveryTest extends ApiTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What the receiver got: headers (lower-case names) and body. */
  record Received(String path, Map<String, List<String>> headers, String body) {
    String type() {
      return JSON.readTree(body).get("type").asString();
    }

    String id() {
      return headers.get("webhook-id").getFirst();
    }
  }

  @Autowired WebhookRepository webhooks;
  @Autowired JdbcClient jdbc;

  private HttpServer receiver;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  /** webhook-ids the /flaky path has refused once already. */
  private final Set<String> refusedOnce = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void startTheReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Map<String, List<String>> headers = new HashMap<>();
          exchange
              .getRequestHeaders()
              .forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
          String path = exchange.getRequestURI().getPath();
          received.add(new Received(path, headers, body));
          int status = 204;
          if (path.equals("/flaky") && refusedOnce.add(headers.get("webhook-id").getFirst())) {
            status = 503;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopTheReceiver() {
    receiver.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  private JsonNode endpoint(String token, String path, List<String> events) {
    JsonNode created = fixtures.webhook(token, url(path), events);
    assertThat(created.get("secret").asString()).startsWith("whsec_");
    return created;
  }

  private List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private static void verify(String secret, Received delivery) throws Exception {
    new Webhook(secret).verify(delivery.body(), delivery.headers());
  }

  @Test
  void sourceAndSyncEventsArriveSignedAndAFailedAttemptIsRetriedWithTheSameId() throws Exception {
    var tenant = fixtures.tenant();
    JsonNode all = endpoint(tenant.operatorToken(), "/all", List.of("*"));
    JsonNode flaky = endpoint(tenant.operatorToken(), "/flaky", List.of("sync.succeeded"));
    var listed = http.get("/api/v1/webhooks", tenant.operatorToken());
    assertThat(listed.dataSize()).isEqualTo(2);
    assertThat(listed.body()).doesNotContain(all.get("secret").asString());

    String template = fixtures.fakerTemplate(tenant, 3);
    fixtures.lakeTemplate(tenant, "lake", "/local/webhooks", Map.of());
    String scoped = fixtures.scopedToken(tenant, "hooked corp");
    JsonNode source = fixtures.embeddedSource(scoped, template, Map.of("count", 10)).json();
    String connection = source.get("connection_ids").get(0).asString();
    JsonNode job = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(job.get("status").asString()).isEqualTo("succeeded");

    List<String> expected =
        List.of(
            "workspace.created",
            "source.created",
            "connection.created",
            "sync.started",
            "sync.succeeded");
    await("events at /all")
        .atMost(Duration.ofSeconds(30))
        .until(() -> at("/all").stream().map(Received::type).toList().containsAll(expected));
    for (Received delivery : at("/all")) {
      verify(all.get("secret").asString(), delivery);
    }
    Received succeeded =
        at("/all").stream()
            .filter(r -> r.type().equals("sync.succeeded"))
            .findFirst()
            .orElseThrow();
    JsonNode data = JSON.readTree(succeeded.body()).get("data");
    assertThat(data.get("job_id").asString()).isEqualTo(job.get("id").asString());
    assertThat(data.get("connection_id").asString()).isEqualTo(connection);
    assertThat(data.get("records_committed").asLong()).isGreaterThan(0);
    assertThat(JSON.readTree(succeeded.body()).get("timestamp").asString()).isNotBlank();

    // the flaky receiver refused the first attempt: the same webhook-id comes again after backoff
    await("a retry at /flaky").atMost(Duration.ofSeconds(30)).until(() -> at("/flaky").size() >= 2);
    List<Received> attempts = at("/flaky");
    assertThat(attempts.get(1).id()).isEqualTo(attempts.get(0).id());
    for (Received attempt : attempts) {
      verify(flaky.get("secret").asString(), attempt);
    }
    JsonNode delivery = fixtures.awaitDelivered(tenant.operatorToken(), flaky.get("id").asString());
    assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
    assertThat(delivery.get("attempt_log").get(0).get("response_code").asInt()).isEqualTo(503);
    assertThat(delivery.get("attempt_log").get(1).get("response_code").asInt()).isEqualTo(204);
    assertThat(delivery.get("event_type").asString()).isEqualTo("sync.succeeded");
  }

  @Test
  void anEndpointCountsAsFailingOnlyWhenEveryAttemptFailedThroughoutThePeriod() {
    var tenant = fixtures.tenant();
    UUID endpoint =
        UUID.fromString(
            endpoint(tenant.operatorToken(), "/quiet", List.of("*")).get("id").asString());
    Instant now = Instant.now();
    Instant fiveDaysAgo = now.minus(Duration.ofDays(5));
    // delivered a week ago, then one event failing all its attempts over the last day
    attempts(tenant.organizationId(), endpoint, "delivered", now.minus(Duration.ofDays(7)));
    attempts(
        tenant.organizationId(),
        endpoint,
        "failed",
        now.minus(Duration.ofHours(27)),
        now.minus(Duration.ofHours(10)),
        now);
    assertThat(webhooks.failingSince(endpoint, fiveDaysAgo))
        .as("a quiet endpoint that failed for a day is not failing for five")
        .isFalse();

    // a failure six days ago with nothing delivered since: failing for five days
    attempts(tenant.organizationId(), endpoint, "failed", now.minus(Duration.ofDays(6)));
    assertThat(webhooks.failingSince(endpoint, fiveDaysAgo)).isTrue();

    // a success since then ends the run of failures
    attempts(tenant.organizationId(), endpoint, "delivered", now.minus(Duration.ofDays(2)));
    assertThat(webhooks.failingSince(endpoint, fiveDaysAgo)).isFalse();
  }

  /**
   * One event's delivery to the endpoint and its attempts at the given times, the last decisive.
   */
  private void attempts(UUID organizationId, UUID endpoint, String status, Instant... times) {
    UUID event = UUID.randomUUID();
    UUID delivery = UUID.randomUUID();
    Timestamp first = Timestamp.from(times[0]);
    Timestamp last = Timestamp.from(times[times.length - 1]);
    jdbc.sql(
            "insert into events (id, organization_id, type, data, created_at)"
                + " values (?, ?, 'sync.failed', '{}'::jsonb, ?)")
        .params(event, organizationId, first)
        .update();
    jdbc.sql(
            "insert into webhook_deliveries (id, organization_id, endpoint_id, event_id, status,"
                + " attempts, next_attempt_at, last_attempt_at, created_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(delivery, organizationId, endpoint, event, status, times.length, last, last, first)
        .update();
    for (int i = 0; i < times.length; i++) {
      boolean success = status.equals("delivered") && i == times.length - 1;
      jdbc.sql(
              "insert into webhook_attempts (delivery_id, attempt, attempted_at, response_code,"
                  + " duration_ms) values (?, ?, ?, ?, 5)")
          .params(delivery, i + 1, Timestamp.from(times[i]), success ? 204 : 503)
          .update();
    }
  }

  @Test
  void afterARotationBothSecretsVerifyUntilTheOverlapEnds() throws Exception {
    var tenant = fixtures.tenant();
    JsonNode hook = endpoint(tenant.operatorToken(), "/rotating", List.of("source.created"));
    String id = hook.get("id").asString();
    String before = hook.get("secret").asString();
    var rotated =
        http.post("/api/v1/webhooks/" + id + "/rotate-secret", tenant.operatorToken(), null);
    assertThat(rotated.status()).isEqualTo(200);
    String after = rotated.json().get("secret").asString();
    assertThat(after).isNotEqualTo(before).startsWith("whsec_");
    assertThat(rotated.json().get("previous_secret_expires_at").asString()).isNotBlank();

    var test = http.post("/api/v1/webhooks/" + id + "/test", tenant.operatorToken(), null);
    assertThat(test.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> !at("/rotating").isEmpty());
    Received delivery = at("/rotating").getFirst();
    assertThat(delivery.type()).isEqualTo("webhook.test");
    assertThat(delivery.headers().get("webhook-signature").getFirst().split(" ")).hasSize(2);
    verify(before, delivery);
    verify(after, delivery);
    var forged =
        new Received(delivery.path(), delivery.headers(), delivery.body().replace("test", "tset"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> verify(after, forged))
        .as("the library really checks")
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
  }

  @Test
  void urlsTheEgressPolicyRefusesAndUnknownEventsAreRefusedAndNothingIsStored() {
    var tenant = fixtures.tenant();
    List<Map<String, Object>> bad = new ArrayList<>();
    bad.add(Map.of("url", "http://169.254.169.254/latest/meta-data", "events", List.of("*")));
    bad.add(Map.of("url", "http://127.0.0.1:" + port + "/api/v1/health", "events", List.of("*")));
    bad.add(Map.of("url", "ftp://example.com/hook", "events", List.of("*")));
    bad.add(Map.of("url", "http://127.0.0.1:70000/hook", "events", List.of("*")));
    bad.add(Map.of("url", url("/x"), "events", List.of("sync.exploded")));
    bad.add(Map.of("url", url("/x"), "events", List.of()));
    for (Map<String, Object> body : bad) {
      var refused = http.post("/api/v1/webhooks", tenant.operatorToken(), body);
      assertThat(refused.status()).as(body + " → " + refused).isEqualTo(422);
    }
    assertThat(http.get("/api/v1/webhooks", tenant.operatorToken()).dataSize()).isZero();
    var scoped = fixtures.scopedToken(tenant, "not an operator");
    assertThat(
            http.post("/api/v1/webhooks", scoped, Map.of("url", url("/x"), "events", List.of("*")))
                .status())
        .isEqualTo(403);
  }

  @Test
  void anAnswerTricklingInIsCutOffAtTheTimeoutAndRetried() throws Exception {
    try (ServerSocket trickle = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket socket = trickle.accept()) {
                  OutputStream out = socket.getOutputStream();
                  out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                  // a header byte every 2 s: never silent for the client's 15 s read timeout
                  for (int i = 0; i < 60; i++) {
                    out.write('X');
                    out.flush();
                    Thread.sleep(2_000);
                  }
                } catch (IOException | InterruptedException ignored) {
                  // the client hung up, or the test ended
                }
              });
      var tenant = fixtures.tenant();
      JsonNode endpoint =
          fixtures.webhook(
              tenant.operatorToken(),
              "http://127.0.0.1:" + trickle.getLocalPort() + "/slow",
              List.of("webhook.test"));
      String webhook = endpoint.get("id").asString();
      var sent = http.post("/api/v1/webhooks/" + webhook + "/test", tenant.operatorToken(), null);
      String delivery = sent.json().get("delivery_id").asString();

      await("the attempt cut off at 15 s and a retry scheduled")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  jdbc.sql(
                          "select status = 'pending' and last_error is not distinct from 'no answer within 15 s'"
                              + " from webhook_deliveries where id = ?::uuid")
                      .param(delivery)
                      .query(Boolean.class)
                      .single());
      assertThat(
              jdbc.sql("select duration_ms from webhook_attempts where delivery_id = ?::uuid")
                  .param(delivery)
                  .query(Integer.class)
                  .single())
          .isBetween(14_000, 30_000);
    }
  }

  @Test
  void aDisabledEndpointIsSentNoTestAndNoRetry() {
    var tenant = fixtures.tenant();
    String webhook =
        fixtures.webhook(tenant.operatorToken(), url("/off"), List.of("*")).get("id").asString();
    var sent = http.post("/api/v1/webhooks/" + webhook + "/test", tenant.operatorToken(), null);
    String delivery = sent.json().get("delivery_id").asString();
    assertThat(
            http.patch(
                    "/api/v1/webhooks/" + webhook, tenant.operatorToken(), Map.of("enabled", false))
                .status())
        .isEqualTo(200);

    var test = http.post("/api/v1/webhooks/" + webhook + "/test", tenant.operatorToken(), null);
    assertThat(test.status()).as(test.toString()).isEqualTo(409);
    var retry =
        http.post(
            "/api/v1/webhooks/" + webhook + "/deliveries/" + delivery + "/retry",
            tenant.operatorToken(),
            null);
    assertThat(retry.status()).as(retry.toString()).isEqualTo(409);
    assertThat(retry.json().get("detail").asString()).contains("enable it first");
  }

  @Test
  void aDeliveryWhoseNodeDiedIsSentAgainUnlessThatWasItsLastAttempt() {
    var tenant = fixtures.tenant();
    UUID endpoint =
        UUID.fromString(
            endpoint(tenant.operatorToken(), "/revived", List.of("*")).get("id").asString());
    UUID midway = claimedByADeadNode(tenant.organizationId(), endpoint, 3);
    UUID last = claimedByADeadNode(tenant.organizationId(), endpoint, WebhookDispatcher.ATTEMPTS);

    await("the delivery claimed midway sent again, the last attempt failed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> "delivered".equals(status(midway)) && "failed".equals(status(last)));
    assertThat(
            jdbc.sql("select attempts || ' ' || last_error from webhook_deliveries where id = ?")
                .param(last)
                .query(String.class)
                .single())
        .isEqualTo(WebhookDispatcher.ATTEMPTS + " the last attempt never finished");
    assertThat(at("/revived")).hasSize(1);
  }

  private String status(UUID delivery) {
    return jdbc.sql("select status from webhook_deliveries where id = ?")
        .param(delivery)
        .query(String.class)
        .single();
  }

  /** A delivery whose claim ran out a minute ago, after {@code attempts} attempts. */
  private UUID claimedByADeadNode(UUID organizationId, UUID endpoint, int attempts) {
    UUID event = UUID.randomUUID();
    UUID delivery = UUID.randomUUID();
    Timestamp ago = Timestamp.from(Instant.now().minus(Duration.ofMinutes(1)));
    jdbc.sql(
            "insert into events (id, organization_id, type, data, created_at)"
                + " values (?, ?, 'sync.failed', '{}'::jsonb, ?)")
        .params(event, organizationId, ago)
        .update();
    jdbc.sql(
            "insert into webhook_deliveries (id, organization_id, endpoint_id, event_id, status,"
                + " attempts, next_attempt_at, claimed_by, claimed_until, created_at)"
                + " values (?, ?, ?, ?, 'delivering', ?, ?, 'a node that died', ?, ?)")
        .params(delivery, organizationId, endpoint, event, attempts, ago, ago, ago)
        .update();
    return delivery;
  }
}
