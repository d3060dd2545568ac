package io.tributary.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Names a stream; the namespace is the source's schema or database, null when it has none. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamDescriptor(
    @JsonProperty("name") String name, @JsonProperty("namespace") String namespace) {

  public StreamDescriptor {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a stream needs a name");
    }
  }

  @Override
  public String toString() {
    return namespace == null ? name : namespace + "." + name;
  }
}
