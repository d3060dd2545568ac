package io.tributary.template;

import java.util.UUID;

/** What the core reads of a stored template of any kind. */
public interface Template {

  UUID id();
}
