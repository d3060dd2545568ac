package io.tributary.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.database.AsyncCommit;
import io.tributary.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database is durable, but counting a request must not wait for the disk: the count commits
 * asynchronously, in a transaction of its own, and leaves the durability of the caller's
 * transaction alone.
 */
class RateLimitCommitTest {

  @Test
  void theCountCommitsWithoutWaitingForTheDiskInATransactionOfItsOwn() {
    // a durable database, as the embedded one is (the test server itself runs with
    // synchronous_commit off)
    var dataSource =
        new DriverManagerDataSource(
            TestDatabase.create() + "&options=-c%20synchronous_commit%3Don");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    // what each write of a counter runs with, seen from inside its transaction
    jdbc.sql("create table commit_probe (hits int, synchronous_commit text)").update();
    jdbc.sql(
            """
        create function commit_probe() returns trigger language plpgsql as $$ begin
          insert into commit_probe values (new.hits, current_setting('synchronous_commit')); return new;
        end $$""")
        .update();
    jdbc.sql(
            "create trigger commit_probe after insert or update on rate_limit_windows for each row execute function commit_probe()")
        .update();
    var transactions = new DataSourceTransactionManager(dataSource);
    var limiter =
        new RateLimiter(
            jdbc, Clock.systemUTC(), new SimpleMeterRegistry(), new AsyncCommit(transactions));

    String caller =
        new TransactionTemplate(transactions)
            .execute(
                status -> {
                  limiter.hit("org:probe", 10, Duration.ofHours(1));
                  limiter.hit("org:probe", 10, Duration.ofHours(1));
                  return jdbc.sql("show synchronous_commit").query(String.class).single();
                });

    assertThat(
            jdbc.sql("select synchronous_commit from commit_probe order by hits")
                .query(String.class)
                .list())
        .as("the insert and the update of the counter")
        .containsExactly("off", "off");
    assertThat(caller).as("a caller's own transaction stays durable").isEqualTo("on");
    assertThat(limiter.peek("org:probe", 10, Duration.ofHours(1)).hits()).isEqualTo(2);
  }
}
