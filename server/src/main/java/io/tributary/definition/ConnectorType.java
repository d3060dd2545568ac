package io.tributary.definition;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ConnectorType {
  @JsonProperty("source")
  SOURCE,
  @JsonProperty("destination")
  DESTINATION
}
