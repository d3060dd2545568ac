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
   * Makes a {@link #next()} that is waiting return at once, called from another thread: the runtime
   * calls it when a cancelled or failed sync's reading thread does not come back by itself after an
   * interrupt (a connector process that prints nothing, a query that has not sent its first row).
   * {@code next()} may then throw; whatever it throws is not reported, and {@link #close()} still
   * follows on the reading thread. It may come after {@code next()} returned, and more than once.
   * The default does nothing, for readers whose waits end on an interrupt.
   */
  default void abort() {}

  /**
   * Releases connections and cursors; called exactly once, also after a failure or a cancellation.
   */
  @Override
  void close();
}
