package io.tributary.connection;

import java.time.Instant;
import java.util.UUID;

/** A source wired to a destination; its schedule and naming come from its connection template. */
public record ConnectionRecord(
    UUID id,
    UUID organizationId,
    UUID workspaceId,
    UUID sourceId,
    UUID destinationId,
    UUID connectionTemplateId,
    String status,
    String cronExpression,
    String cronTimeZone,
    Instant syncRequestedAt,
    Instant createdAt,
    Instant updatedAt,
    Instant nextSyncAt) {}
