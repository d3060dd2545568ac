package io.tributary.connector;

import java.time.Duration;

/**
 * A connector call that did not finish within the time the runtime gave it. Transient: the same
 * call may well finish another time, so a sync retries it or carries on without it, and an API
 * caller may try again.
 */
public class ConnectorTimeoutException extends ConnectorException {

  private final Duration timeout;

  public ConnectorTimeoutException(String what, Duration timeout) {
    super(
        FailureType.TRANSIENT_ERROR,
        what + " did not finish within " + timeout.toSeconds() + " seconds");
    this.timeout = timeout;
  }

  public Duration timeout() {
    return timeout;
  }
}
