package io.tributary.connector;

/**
 * The one exception connectors throw. The message is shown to users: it says what failed in their terms and never
 * contains a secret. {@link #failureType()} tells the runtime whether to retry.
 */
public class ConnectorException extends RuntimeException {

  private final FailureType failureType;

  public ConnectorException(FailureType failureType, String message, Throwable cause) {
    super(message, cause);
    this.failureType = failureType;
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

  public boolean retriable() {
    return failureType == FailureType.TRANSIENT_ERROR;
  }
}
