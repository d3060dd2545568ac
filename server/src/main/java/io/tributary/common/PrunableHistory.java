package io.tributary.common;

import java.time.Instant;

/**
 * A table that grows with every sync or event and whose old rows may go once the history retention
 * has passed. {@link HistoryRetention} calls each one in turn.
 */
public interface PrunableHistory {

  /** What the rows are, for the log: e.g. {@code "finished jobs"}. */
  String what();

  /**
   * Deletes at most {@code limit} rows older than {@code before}, with whatever hangs on them, in
   * one transaction; rows another node is deleting are skipped, not waited for.
   *
   * @return how many it deleted: fewer than {@code limit} means none is left
   */
  int prune(Instant before, int limit);
}
