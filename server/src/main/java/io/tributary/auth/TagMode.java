package io.tributary.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a list of tags filters templates: {@code any} listed tag, or {@code all} of them. It lives
 * with the caller because a widget token carries it ({@link WidgetScope}); the tag and template
 * features filter by it.
 */
public enum TagMode {
  @JsonProperty("any")
  ANY,
  @JsonProperty("all")
  ALL;

  public String value() {
    return name().toLowerCase();
  }

  public static TagMode parse(String value) {
    return value == null ? null : valueOf(value.toUpperCase());
  }
}
