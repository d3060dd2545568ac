package io.tributary.connector;

import io.tributary.protocol.EncodedRecords;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What the runtime tells a source about the read it starts. */
public interface ReadContext {

  /**
   * The state this stream's last committed checkpoint recorded, or null to read from the beginning.
   * For an incremental stream it names the cursor position; for a full refresh it may name where an
   * interrupted read stopped.
   */
  JsonNode state();

  /**
   * The format the stream's destination takes records in as they are, or null. A source that can
   * produce it for every selected field may return {@link RecordBatch#of(EncodedRecords) encoded}
   * batches instead of values; one that cannot reads as usual.
   */
  default RowFormat rowFormat() {
    return null;
  }

  /** Records per batch the runtime would like; a hint, not a rule. */
  default int batchSize() {
    return 10_000;
  }

  /** True once the sync is being cancelled; long-running reads check it between batches. */
  boolean cancelled();

  /**
   * A message the connector logged, for the job log; scrubbed of the configuration's secrets.
   *
   * @param level the connector's level ({@code INFO}, {@code WARN}, {@code ERROR}, ...)
   */
  default void log(String level, String message) {}

  /**
   * The connector replaced its own configuration while reading (for example it rotated an OAuth
   * refresh token). The runtime stores it together with the next state checkpoint, and never
   * without one: a read that fails before it keeps the configuration it started with.
   */
  default void configChanged(ObjectNode config) {}

  /** The connector's estimate of what this read will emit in all; either may be 0 when unknown. */
  default void estimate(long records, long bytes) {}
}
