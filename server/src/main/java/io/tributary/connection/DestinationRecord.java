package io.tributary.connection;

import java.time.Instant;
import java.util.UUID;

/** A workspace's destination, one per connection template; configured by the template. */
public record DestinationRecord(
    UUID id,
    UUID organizationId,
    UUID workspaceId,
    UUID connectionTemplateId,
    UUID definitionId,
    String name,
    Instant createdAt,
    Instant updatedAt) {}
