package io.tributary.connector;

/** Whose move it is after a failure (Airbyte's trace {@code failure_type}). */
public enum FailureType {
  /** The configuration is wrong: the user must change it; retrying will not help. */
  CONFIG_ERROR,
  /**
   * Something that may pass on its own (network, locks, a restarting server): retry with backoff.
   */
  TRANSIENT_ERROR,
  /** A bug or an unexpected state: retrying is allowed but unlikely to help. */
  SYSTEM_ERROR
}
