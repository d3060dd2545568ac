package io.tributary.common;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a transaction again when PostgreSQL aborted it to break a deadlock. Deletes that cascade (a
 * workspace, a source) lock jobs, sources and connections, which a sync's checkpoint and the
 * scheduler also take, each in the order its own work needs; ordering them all alike is not
 * possible, so the transaction that loses simply runs again, on what the winner committed.
 *
 * <p>Only for work whose every effect is in the transaction: the aborted attempt leaves none.
 */
public final class DeadlockRetry {

  private static final Logger log = LoggerFactory.getLogger(DeadlockRetry.class);
  private static final int ATTEMPTS = 3;

  private DeadlockRetry() {}

  /** {@code work}'s result, run in a new transaction up to three times. */
  public static <T> T inTransaction(
      TransactionTemplate transaction, String what, Supplier<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.execute(status -> work.get());
      } catch (PessimisticLockingFailureException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
        log.info("{} lost a deadlock; trying again", what);
      }
    }
  }
}
