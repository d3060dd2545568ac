package io.tributary.source;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A source as the API shows it: the end user's configuration with secrets masked, and its
 * connections.
 */
public record SourceView(
    UUID id,
    String name,
    UUID workspaceId,
    UUID sourceTemplateId,
    UUID sourceDefinitionId,
    JsonNode sourceConfig,
    List<UUID> connectionIds,
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
        source.createdAt(),
        source.updatedAt());
  }
}
