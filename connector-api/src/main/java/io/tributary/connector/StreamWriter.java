package io.tributary.connector;

import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Writes one stream. One thread uses it, from {@link Destination#open} to {@link #close()}.
 *
 * <p>Exactly-once comes from {@link #commit(JsonNode)}: it makes every record written so far
 * durable and visible together with the source state that follows them, atomically — both or
 * neither. After a crash the runtime asks {@link #committedState()} where to resume, so records are
 * neither lost nor applied twice.
 */
public interface StreamWriter extends AutoCloseable {

  /**
   * The state of the last successful commit of this stream (by {@code stateKey}) into the table it
   * writes, or null when none. A writer that {@link #commitsWhenAsked() commits when asked} is the
   * authority: null makes the runtime read the stream from the start, whatever it stored itself.
   */
  JsonNode committedState();

  /**
   * A format this writer also takes records in as they are, or null: the runtime offers it to the
   * source ({@link ReadContext#rowFormat()}), and batches {@link RecordBatch#encoded() encoded} in
   * it may then arrive. Asked once, after opening and before the first write.
   */
  default RowFormat rowFormat() {
    return null;
  }

  /** Takes records; they may be buffered or staged, invisible until the next commit. */
  void write(RecordBatch batch);

  /**
   * Atomically publishes everything written since the last commit and records {@code state} as
   * committed. Overwrite streams keep publishing into a staging area until {@link #complete()}.
   *
   * @param state the source state after the last record written; may be null
   */
  void commit(JsonNode state);

  /**
   * The stream has been read in full and committed: finishes it (an overwrite swaps its table in,
   * atomically).
   */
  void complete();

  /**
   * Whether a {@link #commit} is durable when it returns. A destination that acknowledges commits
   * later instead (an Airbyte destination echoes each state only once its own buffers are flushed)
   * answers false, and the runtime stores only the states it {@link #acknowledged() acknowledged}.
   */
  default boolean commitsWhenAsked() {
    return true;
  }

  /**
   * The states of the commits that became durable since the last call, oldest first; only for a
   * writer that does not {@link #commitsWhenAsked() commit when asked}. Called after each commit
   * and after {@link #complete()}.
   */
  default List<JsonNode> acknowledged() {
    return List.of();
  }

  /**
   * Releases resources; anything not committed is discarded. Called exactly once, also after a
   * failure.
   */
  /**
   * Makes a call that is waiting ({@link #write}, {@link #commit}, {@link #complete}) return at
   * once, called from another thread: the runtime calls it when a cancelled or failed sync's
   * writing thread does not come back by itself (a destination process that stopped reading its
   * input). The waiting call may then throw; whatever it throws is not reported, nothing written
   * since the last commit counts, and {@link #close()} still follows on the writing thread. It may
   * come more than once. The default does nothing, for writers whose calls end by themselves.
   */
  default void abort() {}

  @Override
  void close();
}
