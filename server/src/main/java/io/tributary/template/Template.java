package io.tributary.template;

import java.time.Instant;
import java.util.UUID;

/** What the core reads and writes of a stored template of any kind. */
public interface Template {

  UUID id();

  UUID organizationId();

  Instant createdAt();

  Instant updatedAt();
}
