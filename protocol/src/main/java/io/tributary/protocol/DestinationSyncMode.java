package io.tributary.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a destination applies what it receives. */
public enum DestinationSyncMode {
  /** Add the records to what is there. */
  @JsonProperty("append")
  APPEND,
  /** Replace the stream's data, atomically at the end of the sync. */
  @JsonProperty("overwrite")
  OVERWRITE,
  /** Add the records, keeping the latest version of each primary key. */
  @JsonProperty("append_dedup")
  APPEND_DEDUP;

  public String value() {
    return name().toLowerCase();
  }
}
