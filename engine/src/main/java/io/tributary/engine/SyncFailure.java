package io.tributary.engine;

import io.tributary.connector.FailureType;

/**
 * A sync attempt that did not finish: which stream, why in a user's words, and whether a retry may
 * help.
 */
public class SyncFailure extends RuntimeException {

  private final String stream;
  private final FailureType failureType;

  public SyncFailure(String stream, FailureType failureType, String message, Throwable cause) {
    super(message, cause);
    this.stream = stream;
    this.failureType = failureType;
  }

  public String stream() {
    return stream;
  }

  public FailureType failureType() {
    return failureType;
  }

  /** The attempt was cancelled on request; what was committed before stays. */
  public static final class Cancelled extends SyncFailure {
    public Cancelled() {
      super(null, FailureType.SYSTEM_ERROR, "The sync was cancelled", null);
    }
  }
}
