package io.tributary.workspace;

import java.time.Instant;
import java.util.UUID;

public record Workspace(
    UUID id,
    UUID organizationId,
    String name,
    UUID regionId,
    String status,
    int tokenGeneration,
    Instant createdAt,
    Instant updatedAt) {}
