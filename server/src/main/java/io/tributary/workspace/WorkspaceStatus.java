package io.tributary.workspace;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum WorkspaceStatus {
  @JsonProperty("active")
  ACTIVE,
  @JsonProperty("inactive")
  INACTIVE;

  public String value() {
    return name().toLowerCase();
  }
}
