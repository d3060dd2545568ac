package io.tributary.source;

import io.tributary.secret.SealedConfig;
import java.time.Instant;
import java.util.UUID;

/** A source as stored: the end user's part of its configuration, sealed. */
public record SourceRecord(
    UUID id,
    UUID organizationId,
    UUID workspaceId,
    UUID sourceTemplateId,
    UUID definitionId,
    String name,
    SealedConfig config,
    Instant createdAt,
    Instant updatedAt) {

  public String secretContext() {
    return secretContext(id);
  }

  static String secretContext(UUID id) {
    return "source:" + id;
  }
}
