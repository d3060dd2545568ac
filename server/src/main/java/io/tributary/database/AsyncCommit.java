package io.tributary.database;

import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs writes that may be lost harmlessly in a crash (rate-limit counters, job heartbeats) in a transaction of
 * their own that commits without waiting for the disk ({@code SET LOCAL synchronous_commit = off}): the database
 * stays durable for everything else, and the writes made on every request do not each cost a disk flush. A crash
 * loses at most the last few hundred milliseconds of them; it never corrupts anything.
 */
@Component
public class AsyncCommit {

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;

  public AsyncCommit(JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.transaction = new TransactionTemplate(transactions);
    // its own transaction: SET LOCAL must not relax a caller's transaction that holds writes which matter
    this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  public <T> T run(Supplier<T> work) {
    return transaction.execute(status -> {
      jdbc.sql("set local synchronous_commit = off").update();
      return work.get();
    });
  }
}
