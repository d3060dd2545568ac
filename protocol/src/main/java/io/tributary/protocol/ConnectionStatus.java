package io.tributary.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The outcome of a connector's check: whether the configuration works, and if not, why in words a
 * user can act on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionStatus(
    @JsonProperty("status") Status status, @JsonProperty("message") String message) {

  public enum Status {
    SUCCEEDED,
    FAILED
  }

  public static ConnectionStatus succeeded() {
    return new ConnectionStatus(Status.SUCCEEDED, null);
  }

  public static ConnectionStatus failed(String message) {
    return new ConnectionStatus(Status.FAILED, message);
  }

  public boolean ok() {
    return status == Status.SUCCEEDED;
  }
}
