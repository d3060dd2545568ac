package io.tributary.job;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Background work of a workspace and how it ended. */
public record Job(
    UUID id,
    UUID organizationId,
    UUID workspaceId,
    @Schema(implementation = String.class) JobKind kind,
    UUID sourceId,
    UUID connectionId,
    @Schema(implementation = String.class) JobStatus status,
    int attempts,
    String failureType,
    String failureReason,
    JsonNode streams,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {}
