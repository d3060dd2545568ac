package io.tributary.template;

import java.time.Instant;
import java.util.UUID;

/** What the shared endpoints read of a kind's API view: the key that pages a list. */
public interface TemplateView {

  UUID id();

  Instant createdAt();
}
