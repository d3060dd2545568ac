package io.tributary.template;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body that tags a template. */
public record TagRequest(@NotNull @Size(min = 1, max = 255) String tag) {}
