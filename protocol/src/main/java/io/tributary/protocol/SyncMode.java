package io.tributary.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a source reads a stream: everything each time, or only what changed since the last cursor
 * value.
 */
public enum SyncMode {
  @JsonProperty("full_refresh")
  FULL_REFRESH,
  @JsonProperty("incremental")
  INCREMENTAL;

  public String value() {
    return name().toLowerCase();
  }
}
