package io.tributary.tag;

import java.time.Instant;
import java.util.UUID;

/** An organization's label for templates; referenced by name. */
public record Tag(
    UUID id, String name, UUID organizationId, Instant createdAt, Instant updatedAt) {}
