package io.tributary.engine;

import tools.jackson.databind.node.ObjectNode;

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

  /** The source's estimate of what a stream will emit in all (0 when unknown). */
  default void estimated(String stream, long records, long bytes) {}

  /**
   * The source replaced its configuration during the read (see {@link
   * io.tributary.connector.ReadContext#configChanged}). The runtime keeps it until the next state
   * checkpoint and stores it with that checkpoint ({@link StateStore#save}), never before.
   */
  default void configChanged(ObjectNode config) {}

  SyncListener NONE = new SyncListener() {};
}
