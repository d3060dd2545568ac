package io.tributary.workspace;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/** An end user's space: their sources, destinations and connections. */
public record Workspace(
    UUID id,
    String name,
    UUID organizationId,
    UUID regionId,
    WorkspaceStatus status,
    @JsonIgnore int tokenGeneration,
    Instant createdAt,
    Instant updatedAt) {}
