package io.tributary.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One event's delivery to one endpoint, as the deliveries API shows it.
 *
 * @param status {@code pending}, {@code delivering}, {@code delivered} or {@code failed}
 */
public record WebhookDelivery(
    UUID id,
    UUID eventId,
    String eventType,
    String status,
    int attempts,
    Instant nextAttemptAt,
    Instant lastAttemptAt,
    Integer lastResponseCode,
    String lastError,
    List<Attempt> attemptLog,
    Instant createdAt) {

  /** One try: when, what the endpoint answered (or why nothing arrived), how long it took. */
  public record Attempt(
      int attempt, Instant attemptedAt, Integer responseCode, String error, int durationMs) {}

  WebhookDelivery withAttempts(List<Attempt> attempts) {
    return new WebhookDelivery(
        id,
        eventId,
        eventType,
        status,
        this.attempts,
        nextAttemptAt,
        lastAttemptAt,
        lastResponseCode,
        lastError,
        attempts,
        createdAt);
  }
}
