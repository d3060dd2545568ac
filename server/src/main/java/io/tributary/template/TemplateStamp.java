package io.tributary.template;

import java.time.Instant;
import java.util.UUID;

/**
 * What every stored template has, whatever its kind: the kind, its id, its organization, and when
 * it was made and last changed. The core writes and filters by these columns; the kind never does.
 */
public record TemplateStamp(
    TemplateKind kind, UUID id, UUID organizationId, Instant createdAt, Instant updatedAt) {

  /** A new template's, made at {@code now}. */
  public static TemplateStamp created(TemplateKind kind, UUID organizationId, Instant now) {
    return new TemplateStamp(kind, UUID.randomUUID(), organizationId, now, now);
  }

  /** The same template, changed at {@code now}. */
  public TemplateStamp changed(Instant now) {
    return new TemplateStamp(kind, id, organizationId, createdAt, now);
  }

  /** What the template's encrypted secrets are bound to. */
  public String secretContext() {
    return kind.secretContext(id);
  }
}
