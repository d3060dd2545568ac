package io.tributary.organization;

import java.time.Instant;
import java.util.UUID;

/** A client_id / client_secret pair of an organization; the secret itself is never kept. */
public record Application(
    UUID id,
    UUID organizationId,
    String name,
    String clientId,
    Instant createdAt,
    Instant revokedAt) {

  public boolean active() {
    return revokedAt == null;
  }
}
