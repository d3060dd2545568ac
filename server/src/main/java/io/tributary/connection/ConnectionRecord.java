package io.tributary.connection;

import java.time.Instant;
import java.util.UUID;

/**
 * A source wired to a destination; its schedule and naming come from its connection template.
 *
 * @param pausedBy why Tributary made the connection inactive ({@code credentials}); null when it is
 *     active or an operator (or a schema change) paused it
 */
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
    Instant nextSyncAt,
    String pausedBy) {}
