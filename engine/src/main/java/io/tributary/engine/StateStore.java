package io.tributary.engine;

import tools.jackson.databind.JsonNode;

/**
 * The runtime's copy of each stream's committed state, keyed like {@link
 * io.tributary.connector.WriteTarget#stateKey()}. The destination's own record ({@code
 * StreamWriter.committedState}) wins when it has one; this copy serves destinations that keep none
 * (external ones) and shows progress.
 */
public interface StateStore {

  /** The last state saved for the stream, or null. Called from the stream's writer thread. */
  JsonNode load(String stateKey);

  /**
   * Called from the stream's writer thread right after the destination committed up to {@code
   * state}.
   */
  void save(String stateKey, JsonNode state);
}
