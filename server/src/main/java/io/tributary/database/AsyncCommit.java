package io.tributary.database;

import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes that may be lost harmlessly in a crash (rate-limit counts, job heartbeats) commit without
 * waiting for the disk: the database stays durable for everything else, and the write made on every
 * request does not cost a disk flush. A crash loses at most the last few hundred milliseconds of
 * them; it never corrupts anything.
 *
 * <p>Each such write is one statement that starts with {@link #RELAXED} and reads from {@code
 * relaxed}, run by {@link #run} outside any caller's transaction: the statement is then its own
 * transaction, and the setting, local to it, applies to its commit only. One statement rather than
 * {@code BEGIN; SET LOCAL ...; write; COMMIT} because a counter row every request of an
 * organization updates stays locked until commit: a commit one client round trip later made
 * concurrent requests queue on that row (a third of the throughput).
 */
@Component
public class AsyncCommit {

  /**
   * {@code SET LOCAL synchronous_commit = off} for the statement it starts, which must read from
   * {@code relaxed}.
   */
  public static final String RELAXED =
      "with relaxed as (select set_config('synchronous_commit', 'off', true)) ";

  private final TransactionTemplate outside;

  public AsyncCommit(PlatformTransactionManager transactions) {
    outside = new TransactionTemplate(transactions);
    // never inside a caller's transaction: the setting would relax the caller's writes that matter
    // too
    outside.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
  }

  /**
   * Runs {@code write}, a single {@link #RELAXED} statement, on a connection of its own in
   * autocommit mode.
   */
  public <T> T run(Supplier<T> write) {
    return outside.execute(status -> write.get());
  }
}
