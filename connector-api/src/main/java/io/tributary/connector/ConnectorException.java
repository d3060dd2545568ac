package io.tributary.connector;

import java.util.List;

/**
 * The one exception connectors throw. The message is shown to users: it says what failed in their
 * terms and never contains a secret. {@link #failureType()} tells the runtime whether to retry.
 */
public class ConnectorException extends RuntimeException {

  private final FailureType failureType;
  private final List<String> output;

  public ConnectorException(FailureType failureType, String message, Throwable cause) {
    this(failureType, message, cause, List.of());
  }

  /**
   * @param output the last lines a connector process wrote (its stderr, say) before it failed,
   *     secrets already removed: the runtime puts them into the job's log, not into the message
   *     users see first
   */
  public ConnectorException(
      FailureType failureType, String message, Throwable cause, List<String> output) {
    super(message, cause);
    this.failureType = failureType;
    this.output = List.copyOf(output);
  }

  public ConnectorException(FailureType failureType, String message) {
    this(failureType, message, null);
  }

  public static ConnectorException config(String message) {
    return new ConnectorException(FailureType.CONFIG_ERROR, message);
  }

  public static ConnectorException transientError(String message, Throwable cause) {
    return new ConnectorException(FailureType.TRANSIENT_ERROR, message, cause);
  }

  public static ConnectorException system(String message, Throwable cause) {
    return new ConnectorException(FailureType.SYSTEM_ERROR, message, cause);
  }

  public FailureType failureType() {
    return failureType;
  }

  /** What the connector printed last before it failed; empty for in-process connectors. */
  public List<String> output() {
    return output;
  }

  public boolean retriable() {
    return failureType == FailureType.TRANSIENT_ERROR;
  }
}
