package io.tributary.webhook;

import io.tributary.connector.ConnectorException;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.egress.EgressRefusedException;
import io.tributary.event.EventLog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends the outbox: every node claims due deliveries (skip locked, like jobs) and posts each on a
 * virtual thread of its own, so a slow endpoint holds up neither another endpoint nor a sync nor
 * the API. A 2xx within 15 seconds is delivered; anything else is tried again on {@link #BACKOFF}
 * (with jitter), eight attempts over more than a day, then failed. An attempt ends at {@link
 * #TIMEOUT} whatever the endpoint does (an answer that trickles in byte by byte is cut off). A
 * claim runs out after {@code tributary.webhooks.claim} (a minute), so a delivery whose node died
 * goes out from another; one whose last attempt never finished is failed. An endpoint whose
 * scheduled deliveries failed for {@link #DISABLE_AFTER} is disabled, and the others hear of it.
 */
@Component
class WebhookDispatcher implements DisposableBean {

  /** The wait before each retry: attempt n + 1 comes {@code BACKOFF[n - 1]} after attempt n. */
  static final List<Duration> BACKOFF =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2),
          Duration.ofHours(5),
          Duration.ofHours(10),
          Duration.ofHours(10));

  static final Duration TIMEOUT = Duration.ofSeconds(15);
  static final int ATTEMPTS = BACKOFF.size() + 1;
  static final Duration DISABLE_AFTER = Duration.ofDays(5);
  private static final int MAX_IN_FLIGHT = 64;

  /**
   * Deliveries on their way to one endpoint at once, across nodes: half a node's slots, so a slow
   * endpoint with a backlog leaves the other half to everyone else.
   */
  static final int PER_ENDPOINT = MAX_IN_FLIGHT / 2;

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final WebhookRepository webhooks;
  private final WebhookService service;
  private final EventLog events;
  private final EgressPolicy egress;
  private final TransactionTemplate transactions;
  private final JsonMapper json;
  private final Clock clock;
  private final Duration claim;
  private final String node =
      ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("webhook-deadlines").factory());
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CloseableHttpClient http;

  WebhookDispatcher(
      WebhookRepository webhooks,
      WebhookService service,
      EventLog events,
      EgressPolicy egress,
      TransactionTemplate transactions,
      JsonMapper json,
      Clock clock,
      @Value("${tributary.webhooks.claim:60s}") Duration claim) {
    this.claim = claim;
    this.webhooks = webhooks;
    this.service = service;
    this.events = events;
    this.egress = egress;
    this.http = egress.httpClient(TIMEOUT, MAX_IN_FLIGHT);
    this.transactions = transactions;
    this.json = json;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${tributary.webhooks.poll:1s}",
      initialDelayString = "${tributary.webhooks.poll:1s}")
  void tick() {
    dispatchDue();
  }

  /** Claims what is due and starts sending it; how many deliveries were claimed. */
  int dispatchDue() {
    int free = MAX_IN_FLIGHT - inFlight.get();
    if (free <= 0) {
      return 0;
    }
    Instant now = clock.instant();
    List<WebhookRepository.Claimed> claimed =
        webhooks.claimDue(node, now, now.plus(claim), free, ATTEMPTS, PER_ENDPOINT);
    for (WebhookRepository.Claimed delivery : claimed) {
      inFlight.incrementAndGet();
      senders.execute(
          () -> {
            try {
              send(delivery);
            } catch (RuntimeException e) {
              log.warn("Webhook delivery {} failed unexpectedly", delivery.id(), e);
              finishQuietly(delivery, e);
            } finally {
              inFlight.decrementAndGet();
            }
          });
    }
    return claimed.size();
  }

  private void send(WebhookRepository.Claimed delivery) {
    WebhookEndpoint endpoint = webhooks.endpoint(delivery.endpointId()).orElse(null);
    Instant started = clock.instant();
    if (endpoint == null || !endpoint.enabled()) {
      finish(delivery, false, null, "the endpoint is disabled or deleted", started, 0, true);
      return;
    }
    String body = body(delivery);
    long timestamp = started.getEpochSecond();
    String id = delivery.eventId().toString();
    String signatures =
        service.signingSecrets(endpoint, started).stream()
            .map(secret -> WebhookSigner.sign(secret, id, timestamp, body))
            .collect(Collectors.joining(" "));
    long begin = System.nanoTime();
    Integer code = null;
    String error = null;
    HttpPost post = null;
    try {
      URI url = URI.create(endpoint.url());
      egress.checkUrl(url);
      post = new HttpPost(url);
      post.setHeader("User-Agent", "Tributary-Webhooks");
      post.setHeader("webhook-id", id);
      post.setHeader("webhook-timestamp", String.valueOf(timestamp));
      post.setHeader("webhook-signature", signatures);
      post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
      // the client's timeout bounds each wait for bytes, not the whole answer
      ScheduledFuture<?> deadline =
          deadlines.schedule(post::cancel, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      ClassicHttpResponse response;
      try {
        response = http.executeOpen(null, post, null);
      } finally {
        deadline.cancel(false);
      }
      // the answer's body is never read: closing unread drops the connection instead
      try (response) {
        code = response.getCode();
      }
      if (code / 100 != 2) {
        error = "the endpoint answered HTTP " + code;
      }
    } catch (SocketTimeoutException e) {
      error = noAnswer();
    } catch (ConnectorException refused) {
      error = refused.getMessage();
    } catch (IOException | RuntimeException e) {
      // a refusal on the address connected to (the name resolved elsewhere since the check)
      error =
          post != null && post.isCancelled()
              ? noAnswer()
              : EgressRefusedException.in(e)
                  .map(Throwable::getMessage)
                  .orElse("could not be reached: " + e.getClass().getSimpleName());
    }
    long millis = (System.nanoTime() - begin) / 1_000_000;
    finish(delivery, error == null, code, error, started, millis, false);
  }

  private static String noAnswer() {
    return "no answer within " + TIMEOUT.toSeconds() + " s";
  }

  /** Ends an attempt that failed before it was sent, so it is retried on schedule, not claimed. */
  private void finishQuietly(WebhookRepository.Claimed delivery, RuntimeException cause) {
    try {
      finish(
          delivery,
          false,
          null,
          "could not be sent: " + cause.getClass().getSimpleName(),
          clock.instant(),
          0,
          false);
    } catch (RuntimeException e) {
      log.warn("Webhook delivery {}: its attempt could not be recorded", delivery.id(), e);
    }
  }

  private void finish(
      WebhookRepository.Claimed delivery,
      boolean delivered,
      Integer code,
      String error,
      Instant attemptedAt,
      long millis,
      boolean giveUp) {
    Instant retryAt = delivered || giveUp ? null : retryAt(delivery.attempt(), clock.instant());
    transactions.executeWithoutResult(
        status -> {
          boolean moved =
              webhooks.finishAttempt(
                  delivery, node, delivered, code, error, attemptedAt, millis, retryAt);
          // the last scheduled attempt, not one more sent by hand after it
          if (moved && !delivered && !giveUp && delivery.attempt() == ATTEMPTS) {
            disableWhenFailingForDays(delivery.endpointId());
          }
        });
  }

  /** When the attempt after {@code attempt} is due, or null after the last one. */
  static Instant retryAt(int attempt, Instant now) {
    if (attempt > BACKOFF.size()) {
      return null;
    }
    Duration wait = BACKOFF.get(attempt - 1);
    // jitter of ±10 %: endpoints coming back from an outage are not hit by every node at once
    double factor = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return now.plusMillis((long) (wait.toMillis() * factor));
  }

  private void disableWhenFailingForDays(UUID endpointId) {
    Instant now = clock.instant();
    if (!webhooks.failingSince(endpointId, now.minus(DISABLE_AFTER))) {
      return;
    }
    String reason =
        "Disabled on "
            + now
            + ": every delivery failed for "
            + DISABLE_AFTER.toDays()
            + " days. Fix the endpoint, then enable it again (PATCH enabled: true)";
    WebhookEndpoint endpoint = webhooks.disable(endpointId, reason, now).orElse(null);
    if (endpoint == null) {
      return;
    }
    ObjectNode data =
        json.createObjectNode()
            .put("webhook_id", endpoint.id().toString())
            .put("url", endpoint.url())
            .put("reason", reason);
    events.record(endpoint.organizationId(), null, "webhook.disabled", data);
  }

  /** Standard Webhooks' payload: the event's type, when it happened, and its data. */
  private String body(WebhookRepository.Claimed delivery) {
    ObjectNode body = json.createObjectNode();
    body.put("type", delivery.eventType());
    body.put("timestamp", delivery.eventCreatedAt().toString());
    body.set("data", delivery.eventData());
    return json.writeValueAsString(body);
  }

  @Override
  public void destroy() throws IOException {
    senders.shutdownNow();
    deadlines.shutdownNow();
    http.close();
  }
}
