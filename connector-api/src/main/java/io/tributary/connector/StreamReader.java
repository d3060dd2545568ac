package io.tributary.connector;

import io.tributary.protocol.RecordBatch;
import tools.jackson.databind.JsonNode;

/**
 * Reads one stream. One thread polls it, from {@link Source#read} to {@link #close()}.
 *
 * <p>State follows records: after {@link #next()} returns a batch, {@link #state()} is the state
 * that resumes reading right after that batch's last record. The runtime stores it only once a
 * destination has committed every record before it, so a crash re-reads from the last committed
 * point and loses nothing.
 */
public interface StreamReader extends AutoCloseable {

  /**
   * The next records, or null once the stream is exhausted. Never returns an empty batch.
   *
   * @throws ConnectorException when reading fails; {@link ConnectorException#retriable()} says if a
   *     retry may pass
   */
  RecordBatch next();

  /**
   * The resume point after the last batch returned, or null when this stream cannot resume mid-way.
   */
  JsonNode state();

  /**
   * Releases connections and cursors; called exactly once, also after a failure or a cancellation.
   */
  @Override
  void close();
}
