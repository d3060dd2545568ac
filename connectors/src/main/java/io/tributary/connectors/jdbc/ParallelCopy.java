package io.tributary.connectors.jdbc;

/**
 * How far a large table's copy is split: into up to {@code readers} key ranges read (and written)
 * at once, only for tables of at least {@code minRows} estimated rows, with at most {@code
 * bufferBytes} of rows waiting between the range readers and the engine.
 *
 * <p>From system properties so the launcher (and tests, with tiny tables) can set them without the
 * connectors knowing about the server's settings: {@code tributary.copy.parallelism} (default 1,
 * sequential: on 2 cores the parallel path took 1.01x the sequential time with 2 ranges and 1.25x
 * with 4 at 5M rows, the sequential sync already using both; docs/benchmarks.md), {@code
 * tributary.copy.min-rows} (default 200,000), {@code tributary.copy.buffer-bytes} (default 8 MiB of
 * heap: batches count what their records occupy, {@link
 * io.tributary.protocol.RecordBatch#heapBytes()}).
 */
public record ParallelCopy(int readers, long minRows, long bufferBytes) {

  public static ParallelCopy current() {
    return new ParallelCopy(
        Integer.getInteger("tributary.copy.parallelism", 1),
        Long.getLong("tributary.copy.min-rows", 200_000),
        Long.getLong("tributary.copy.buffer-bytes", 8L << 20));
  }

  /**
   * How many connections a split may take: never more than a quarter of the connections the
   * database has left, so a copy never starves the database's other clients.
   *
   * @param freeConnections {@code max_connections} minus the connections open now
   */
  public int readersFor(long estimatedRows, int freeConnections) {
    if (readers < 2 || estimatedRows < minRows) {
      return 1;
    }
    return Math.max(1, Math.min(readers, freeConnections / 4));
  }
}
