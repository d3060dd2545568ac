package io.tributary.connectiontemplate;

import io.tributary.template.TemplateView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A connection template as the API shows it (secrets masked). */
public record ConnectionTemplateView(
    UUID id,
    UUID organizationId,
    String destinationName,
    UUID destinationDefinitionId,
    UUID destinationActorDefinitionId,
    JsonNode destinationConfig,
    String cronExpression,
    String cronTimeZone,
    NonBreakingChangesPreference nonBreakingChangesPreference,
    boolean syncOnCreate,
    boolean allowEndUserSync,
    String namespaceFormat,
    String prefix,
    List<String> tags,
    Instant createdAt,
    Instant updatedAt)
    implements TemplateView {

  static ConnectionTemplateView of(ConnectionTemplate t, List<String> tags) {
    return new ConnectionTemplateView(
        t.id(),
        t.organizationId(),
        t.destinationName(),
        t.destinationDefinitionId(),
        t.destinationDefinitionId(),
        t.destinationConfig().masked(),
        t.cronExpression(),
        t.cronTimeZone(),
        t.nonBreakingChangesPreference(),
        t.syncOnCreate(),
        t.allowEndUserSync(),
        t.namespaceFormat(),
        t.prefix(),
        tags,
        t.createdAt(),
        t.updatedAt());
  }
}
