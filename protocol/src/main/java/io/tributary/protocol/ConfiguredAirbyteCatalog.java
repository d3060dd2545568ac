package io.tributary.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public record ConfiguredAirbyteCatalog(
    @JsonProperty("streams") List<ConfiguredAirbyteStream> streams) {

  public ConfiguredAirbyteCatalog {
    streams = List.copyOf(streams);
  }
}
