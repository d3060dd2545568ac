package io.tributary.template;

import java.time.Instant;
import java.util.UUID;

/** What the core reads and writes of a stored template of any kind. */
public interface Template {

  TemplateStamp stamp();

  default UUID id() {
    return stamp().id();
  }

  default UUID organizationId() {
    return stamp().organizationId();
  }

  default Instant createdAt() {
    return stamp().createdAt();
  }

  default Instant updatedAt() {
    return stamp().updatedAt();
  }

  /** What the template's encrypted secrets are bound to. */
  default String secretContext() {
    return stamp().secretContext();
  }
}
