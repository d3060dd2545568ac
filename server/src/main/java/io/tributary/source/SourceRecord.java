package io.tributary.source;

import io.tributary.secret.SealedConfig;
import java.time.Instant;
import java.util.UUID;

/**
 * A source as stored: the end user's part of its configuration, sealed.
 *
 * @param credentialsValid false once the provider refused its credentials (an OAuth grant revoked
 *     or expired), until the end user reconnects it
 */
public record SourceRecord(
    UUID id,
    UUID organizationId,
    UUID workspaceId,
    UUID sourceTemplateId,
    UUID definitionId,
    String name,
    SealedConfig config,
    Instant createdAt,
    Instant updatedAt,
    boolean credentialsValid) {

  /** The same source with another configuration, changed now. */
  SourceRecord withConfig(String name, SealedConfig config, Instant now) {
    return new SourceRecord(
        id,
        organizationId,
        workspaceId,
        sourceTemplateId,
        definitionId,
        name,
        config,
        createdAt,
        now,
        credentialsValid);
  }

  public String secretContext() {
    return secretContext(id);
  }

  static String secretContext(UUID id) {
    return "source:" + id;
  }
}
