package io.tributary.organization;

import java.time.Instant;
import java.util.UUID;

/** An operator's tenant. Null limits mean the instance defaults apply. */
public record Organization(
    UUID id,
    String name,
    Integer rateLimitPerHour,
    Integer scopedTokenTtlSeconds,
    Integer minSyncIntervalSeconds,
    Integer maxConcurrentSyncs,
    Instant createdAt) {}
