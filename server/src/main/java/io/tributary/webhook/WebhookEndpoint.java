package io.tributary.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An endpoint as stored; its secrets encrypted.
 *
 * @param events the event types it wants, or {@code *}
 * @param previousSecret the secret before the last rotation, still signing until {@code
 *     previousSecretExpiresAt}, or null
 */
record WebhookEndpoint(
    UUID id,
    UUID organizationId,
    String url,
    String description,
    List<String> events,
    boolean enabled,
    String disabledReason,
    byte[] secret,
    byte[] previousSecret,
    Instant previousSecretExpiresAt,
    Instant createdAt,
    Instant updatedAt) {

  static String secretContext(UUID id) {
    return "webhook-secret:" + id;
  }
}
