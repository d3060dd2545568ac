package io.tributary.job;

import java.time.Instant;
import java.util.UUID;

/** Background work of a workspace and how it ended. */
public record Job(
    UUID id,
    UUID organizationId,
    UUID workspaceId,
    String kind,
    UUID sourceId,
    UUID connectionId,
    String status,
    int attempts,
    String failureType,
    String failureReason,
    tools.jackson.databind.JsonNode streams,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {}
