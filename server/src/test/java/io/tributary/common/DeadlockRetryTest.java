package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.LifecycleDatabase;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A transaction PostgreSQL aborts to break a real deadlock runs again and commits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlockRetryTest {

  private final LifecycleDatabase database = new LifecycleDatabase();

  @Test
  void theDeadlocksVictimRunsAgainOnWhatTheWinnerCommitted() throws Exception {
    database.jdbc.sql("drop table if exists deadlock_probe").update();
    database.jdbc.sql("create table deadlock_probe (id int primary key, v text)").update();
    database.jdbc.sql("insert into deadlock_probe values (1, 'first'), (2, 'first')").update();

    CountDownLatch otherHoldsRowOne = new CountDownLatch(1);
    CountDownLatch retriedHoldsRowTwo = new CountDownLatch(1);
    CompletableFuture<Void> other =
        CompletableFuture.runAsync(
            () -> {
              try (Connection c = database.dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (var s = c.createStatement()) {
                  s.execute(
                      "set local deadlock_timeout = '10s'"); // so the other side is the victim
                  s.execute("update deadlock_probe set v = 'other' where id = 1");
                  otherHoldsRowOne.countDown();
                  retriedHoldsRowTwo.await(10, TimeUnit.SECONDS);
                  s.execute("update deadlock_probe set v = 'other' where id = 2");
                }
                c.commit();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    AtomicInteger attempts = new AtomicInteger();
    String result =
        DeadlockRetry.inTransaction(
            database.transactions,
            "The probe",
            () -> {
              database.jdbc.sql("set local deadlock_timeout = '100ms'").update();
              database.jdbc.sql("update deadlock_probe set v = 'retried' where id = 2").update();
              if (attempts.incrementAndGet() == 1) {
                retriedHoldsRowTwo.countDown();
                awaitQuietly(otherHoldsRowOne);
              }
              database.jdbc.sql("update deadlock_probe set v = 'retried' where id = 1").update();
              return "committed";
            });
    other.get(30, TimeUnit.SECONDS);

    assertThat(result).isEqualTo("committed");
    assertThat(attempts).as("aborted once, then run again").hasValue(2);
    assertThat(
            database
                .jdbc
                .sql("select v from deadlock_probe order by id")
                .query(String.class)
                .list())
        .as("the retry ran after the winner committed")
        .containsExactly("retried", "retried");
    database.jdbc.sql("drop table deadlock_probe").update();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
