package io.tributary.oauth;

import io.tributary.secret.SealedConfig;
import java.time.Instant;
import java.util.UUID;

/** An organization's OAuth app for one connector: what the provider gave the operator, sealed. */
record OAuthApp(
    UUID definitionId, SealedConfig configuration, Instant createdAt, Instant updatedAt) {

  static String secretContext(UUID organizationId, UUID definitionId) {
    return "oauth-app:" + organizationId + ":" + definitionId;
  }
}
