package io.tributary.auth;

import java.util.UUID;

/** An operator's backend, authenticated by an operator token of one of its organization's applications. */
public record OperatorCaller(UUID organizationId, UUID applicationId) implements Caller {}
