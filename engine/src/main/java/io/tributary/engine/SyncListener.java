package io.tributary.engine;

/**
 * Progress of a running sync. Called from reader and writer threads; implementations are
 * thread-safe and quick.
 */
public interface SyncListener {

  /** Records read from the source (not yet committed). */
  default void emitted(String stream, long records, long bytes) {}

  /** Records the destination committed with their state. */
  default void committed(String stream, long records, long bytes) {}

  /** A line for the job's log; never holds a secret. */
  default void log(String line) {}

  SyncListener NONE = new SyncListener() {};
}
