package io.tributary.tag;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a list of tags filters templates: {@code any} listed tag, or {@code all} of them. */
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
