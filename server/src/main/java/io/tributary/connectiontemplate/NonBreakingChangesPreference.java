package io.tributary.connectiontemplate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a connection does when its source's schema changes in a compatible way. */
public enum NonBreakingChangesPreference {
  /** Keep syncing only the columns configured before. */
  @JsonProperty("ignore")
  IGNORE,
  /** Pause the connection until someone looks. */
  @JsonProperty("disable")
  DISABLE,
  /** Add new columns, keep existing types. */
  @JsonProperty("propagate_columns")
  PROPAGATE_COLUMNS,
  /** Add new columns and follow type changes. */
  @JsonProperty("propagate_fully")
  PROPAGATE_FULLY;

  public String value() {
    return name().toLowerCase();
  }
}
