package io.tributary.connection;

import io.tributary.connectiontemplate.ConnectionTemplate;
import io.tributary.connectiontemplate.NonBreakingChangesPreference;
import java.time.Instant;
import java.util.UUID;

/**
 * A connection as the API shows it, with the schedule and naming it has from its template (or its
 * override).
 */
public record ConnectionView(
    UUID id,
    UUID workspaceId,
    UUID sourceId,
    UUID destinationId,
    UUID connectionTemplateId,
    String status,
    String cronExpression,
    String cronTimeZone,
    NonBreakingChangesPreference nonBreakingChangesPreference,
    String namespaceFormat,
    String prefix,
    Instant syncRequestedAt,
    Instant createdAt,
    Instant updatedAt,
    Instant nextSyncAt) {

  static ConnectionView of(ConnectionRecord c, ConnectionTemplate t) {
    boolean own = c.cronExpression() != null;
    return new ConnectionView(
        c.id(),
        c.workspaceId(),
        c.sourceId(),
        c.destinationId(),
        c.connectionTemplateId(),
        c.status(),
        own ? c.cronExpression() : t.cronExpression(),
        own ? c.cronTimeZone() : t.cronTimeZone(),
        t.nonBreakingChangesPreference(),
        t.namespaceFormat(),
        t.prefix(),
        c.syncRequestedAt(),
        c.createdAt(),
        c.updatedAt(),
        c.nextSyncAt());
  }
}
