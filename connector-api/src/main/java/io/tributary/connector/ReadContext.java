package io.tributary.connector;

import tools.jackson.databind.JsonNode;

/** What the runtime tells a source about the read it starts. */
public interface ReadContext {

  /**
   * The state this stream's last committed checkpoint recorded, or null to read from the beginning.
   * For an incremental stream it names the cursor position; for a full refresh it may name where an
   * interrupted read stopped.
   */
  JsonNode state();

  /** Records per batch the runtime would like; a hint, not a rule. */
  default int batchSize() {
    return 10_000;
  }

  /** True once the sync is being cancelled; long-running reads check it between batches. */
  boolean cancelled();
}
