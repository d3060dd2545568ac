package io.tributary.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/** Every stream a source offers. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AirbyteCatalog(@JsonProperty("streams") List<AirbyteStream> streams) {

  public AirbyteCatalog {
    streams = List.copyOf(streams);
  }

  public Optional<AirbyteStream> stream(String name) {
    return streams.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
