package io.tributary.source;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A source as the API shows it: the end user's configuration with secrets masked, its connections,
 * and whether the provider still honours its credentials ({@code ok} or {@code invalid}: reconnect
 * it).
 */
public record SourceView(
    UUID id,
    String name,
    UUID workspaceId,
    UUID sourceTemplateId,
    UUID sourceDefinitionId,
    JsonNode sourceConfig,
    List<UUID> connectionIds,
    String credentialsStatus,
    Instant createdAt,
    Instant updatedAt) {

  static SourceView of(SourceRecord source, List<UUID> connections) {
    return new SourceView(
        source.id(),
        source.name(),
        source.workspaceId(),
        source.sourceTemplateId(),
        source.definitionId(),
        source.config().masked(),
        connections,
        source.credentialsValid() ? "ok" : "invalid",
        source.createdAt(),
        source.updatedAt());
  }
}
