package io.tributary.webhook;

import io.tributary.common.ConflictException;
import io.tributary.common.NotFoundException;
import io.tributary.common.PageRequest;
import io.tributary.common.ValidationException;
import io.tributary.connector.ConnectorException;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.event.EventLog;
import io.tributary.secret.SecretCipher;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The operators' webhook endpoints (SPEC §16): where events go, signed with a secret shown once. A
 * rotated secret keeps signing beside the new one for a day, so receivers can switch without losing
 * an event.
 */
@Service
class WebhookService {

  static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

  private final WebhookRepository webhooks;
  private final SecretCipher cipher;
  private final EgressPolicy egress;
  private final EventLog events;
  private final Clock clock;

  WebhookService(
      WebhookRepository webhooks,
      SecretCipher cipher,
      EgressPolicy egress,
      EventLog events,
      Clock clock) {
    this.webhooks = webhooks;
    this.cipher = cipher;
    this.egress = egress;
    this.events = events;
    this.clock = clock;
  }

  /** An endpoint as the API shows it; never its secret. */
  record WebhookView(
      UUID id,
      String url,
      String description,
      List<String> events,
      boolean enabled,
      String disabledReason,
      Instant previousSecretExpiresAt,
      Instant createdAt,
      Instant updatedAt) {

    static WebhookView of(WebhookEndpoint endpoint) {
      return new WebhookView(
          endpoint.id(),
          endpoint.url(),
          endpoint.description(),
          endpoint.events(),
          endpoint.enabled(),
          endpoint.disabledReason(),
          endpoint.previousSecretExpiresAt(),
          endpoint.createdAt(),
          endpoint.updatedAt());
    }
  }

  /** The one answer that shows a secret: creation and rotation. */
  record WithSecret(WebhookView webhook, String secret) {}

  WithSecret create(UUID organizationId, String url, List<String> wanted, String description) {
    String secret = WebhookSigner.newSecret();
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    var endpoint =
        new WebhookEndpoint(
            id,
            organizationId,
            checkedUrl(url),
            description,
            checkedEvents(wanted),
            true,
            null,
            seal(id, secret),
            null,
            null,
            now,
            now);
    webhooks.insert(endpoint);
    return new WithSecret(WebhookView.of(endpoint), secret);
  }

  List<WebhookView> page(UUID organizationId, PageRequest page) {
    return webhooks.page(organizationId, page).stream().map(WebhookView::of).toList();
  }

  WebhookView get(UUID organizationId, UUID id) {
    return WebhookView.of(endpoint(organizationId, id));
  }

  /** Changes what is given; enabling a disabled endpoint clears why it was disabled. */
  @Transactional
  WebhookView update(
      UUID organizationId,
      UUID id,
      String url,
      List<String> wanted,
      String description,
      Boolean enabled) {
    // checked before the lock: a name server that answers slowly must not hold the row, which
    // every event routed to the endpoint waits for
    String checkedUrl = url == null ? null : checkedUrl(url);
    List<String> checkedEvents = wanted == null ? null : checkedEvents(wanted);
    WebhookEndpoint current = locked(organizationId, id);
    boolean on = enabled == null ? current.enabled() : enabled;
    var updated =
        new WebhookEndpoint(
            current.id(),
            current.organizationId(),
            checkedUrl == null ? current.url() : checkedUrl,
            description == null ? current.description() : description,
            checkedEvents == null ? current.events() : checkedEvents,
            on,
            on ? null : current.disabledReason(),
            current.secret(),
            current.previousSecret(),
            current.previousSecretExpiresAt(),
            current.createdAt(),
            clock.instant());
    webhooks.update(updated);
    return WebhookView.of(updated);
  }

  void delete(UUID organizationId, UUID id) {
    if (!webhooks.softDelete(organizationId, id, clock.instant())) {
      throw new NotFoundException("Webhook", id);
    }
  }

  /** A new secret; the current one keeps signing beside it for {@link #ROTATION_OVERLAP}. */
  @Transactional
  WithSecret rotate(UUID organizationId, UUID id) {
    WebhookEndpoint current = locked(organizationId, id);
    String secret = WebhookSigner.newSecret();
    Instant now = clock.instant();
    var rotated =
        new WebhookEndpoint(
            current.id(),
            current.organizationId(),
            current.url(),
            current.description(),
            current.events(),
            current.enabled(),
            current.disabledReason(),
            seal(id, secret),
            current.secret(),
            now.plus(ROTATION_OVERLAP),
            current.createdAt(),
            now);
    webhooks.update(rotated);
    return new WithSecret(WebhookView.of(rotated), secret);
  }

  /** Sends a {@code webhook.test} event to this endpoint alone. */
  @Transactional
  TestSent test(UUID organizationId, UUID id) {
    WebhookEndpoint endpoint = enabled(organizationId, id);
    var data =
        JsonNodeFactory.instance
            .objectNode()
            .put("webhook_id", id.toString())
            .put("message", "A test event from Tributary");
    UUID event = events.recordUnrouted(organizationId, null, "webhook.test", data);
    return new TestSent(
        event, webhooks.insertDelivery(organizationId, endpoint.id(), event, clock.instant()));
  }

  record TestSent(UUID eventId, UUID deliveryId) {}

  List<WebhookDelivery> deliveries(UUID organizationId, UUID id, PageRequest page) {
    return webhooks.deliveries(endpoint(organizationId, id).id(), page);
  }

  /** Sends a delivery again now, whatever its backoff said; a delivered one stays delivered. */
  void retry(UUID organizationId, UUID id, UUID deliveryId) {
    enabled(organizationId, id);
    if (!webhooks.deliveryExists(organizationId, id, deliveryId)) {
      throw new NotFoundException("Delivery", deliveryId);
    }
    if (!webhooks.retryNow(organizationId, id, deliveryId, clock.instant())) {
      throw new ConflictException("The delivery is being sent or was delivered already");
    }
  }

  /** The secrets that sign now: the current one, and the previous one during the overlap. */
  List<String> signingSecrets(WebhookEndpoint endpoint, Instant now) {
    List<String> secrets = new ArrayList<>();
    secrets.add(open(endpoint.id(), endpoint.secret()));
    if (endpoint.previousSecret() != null
        && endpoint.previousSecretExpiresAt() != null
        && endpoint.previousSecretExpiresAt().isAfter(now)) {
      secrets.add(open(endpoint.id(), endpoint.previousSecret()));
    }
    return secrets;
  }

  private WebhookEndpoint endpoint(UUID organizationId, UUID id) {
    return webhooks
        .find(organizationId, id)
        .orElseThrow(() -> new NotFoundException("Webhook", id));
  }

  private WebhookEndpoint locked(UUID organizationId, UUID id) {
    return webhooks
        .lock(organizationId, id)
        .orElseThrow(() -> new NotFoundException("Webhook", id));
  }

  private byte[] seal(UUID id, String secret) {
    return cipher.encrypt(
        secret.getBytes(StandardCharsets.UTF_8), WebhookEndpoint.secretContext(id));
  }

  private String open(UUID id, byte[] sealed) {
    return new String(
        cipher.decrypt(sealed, WebhookEndpoint.secretContext(id)), StandardCharsets.UTF_8);
  }

  /** The endpoint, refused while disabled: what is sent to it would fail unsent. */
  private WebhookEndpoint enabled(UUID organizationId, UUID id) {
    WebhookEndpoint endpoint = endpoint(organizationId, id);
    if (!endpoint.enabled()) {
      throw new ConflictException(
          "The webhook is disabled; enable it first (PATCH with \"enabled\": true)");
    }
    return endpoint;
  }

  /** An absolute http(s) URL the egress policy lets Tributary reach. */
  private String checkedUrl(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.strip());
    } catch (URISyntaxException e) {
      throw ValidationException.field("url", "not a URL", "value_error.url");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute()
        || !(scheme.equals("https") || scheme.equals("http"))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null) {
      throw ValidationException.field(
          "url", "an absolute http(s) URL without user info is needed", "value_error.url");
    }
    if (uri.getPort() > 65_535) {
      throw ValidationException.field("url", "the port is past 65535", "value_error.url");
    }
    try {
      egress.checkUrl(uri);
    } catch (ConnectorException refused) {
      throw ValidationException.field("url", refused.getMessage(), "value_error.egress");
    }
    return uri.toString();
  }

  private static List<String> checkedEvents(List<String> wanted) {
    if (wanted == null || wanted.isEmpty()) {
      throw ValidationException.field(
          "events", "name at least one event type, or \"*\" for all", "value_error.missing");
    }
    List<ValidationException.Violation> unknown = new ArrayList<>();
    for (int i = 0; i < wanted.size(); i++) {
      String type = wanted.get(i);
      if (!"*".equals(type) && !EventTypes.ALL.contains(type)) {
        unknown.add(
            new ValidationException.Violation(
                List.of("events", String.valueOf(i)),
                "unknown event type; known: "
                    + String.join(", ", EventTypes.ALL.stream().sorted().toList()),
                "value_error.event_type"));
      }
    }
    if (!unknown.isEmpty()) {
      throw ValidationException.of(unknown);
    }
    return List.copyOf(new LinkedHashSet<>(wanted));
  }
}
