package io.tributary.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.database.AsyncCommit;
import io.tributary.testing.SettableClock;
import io.tributary.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Nodes reserve requests in batches instead of writing every one: two limiters on one database are
 * two nodes. The limit holds across them (never more requests than the limit), the undershoot stays
 * within the documented bound, and small limits stay exact.
 */
class RateLimitLeaseTest {

  private static final Duration HOUR = Duration.ofHours(1);

  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));
  private JdbcClient jdbc;
  private RateLimiter first;
  private RateLimiter second;

  @BeforeEach
  void twoNodesOnOneDatabase() throws Exception {
    var dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), TestDatabase.create());
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    first = node(dataSource);
    second = node(dataSource);
  }

  private RateLimiter node(javax.sql.DataSource dataSource) {
    return new RateLimiter(
        JdbcClient.create(dataSource),
        clock,
        new SimpleMeterRegistry(),
        new AsyncCommit(new DataSourceTransactionManager(dataSource)));
  }

  @Test
  void oneNodeCountsExactlyWhileWritingABatchAtATime() {
    int limit = 1_000_000;
    for (int i = 1; i <= 1000; i++) {
      RateLimiter.Decision decision = first.hit("org:one", limit, HOUR);
      assertThat(decision.hits()).isEqualTo(i);
      assertThat(decision.remaining()).isEqualTo(limit - i);
    }
    // the database holds what the node reserved: the requests made plus at most one unused batch
    assertThat(stored("org:one")).isBetween(1000, 1000 + RateLimiter.MAX_LEASE);
  }

  /**
   * A peek answers from the node's reservation when it holds one in the window, without reading the
   * database (the stored counter is changed behind its back to show it), and otherwise from the
   * database, read at most once a second per bucket; neither adds a request.
   */
  @Test
  void aPeekAnswersFromTheNodesReservationAndCountsNothing() {
    int limit = 1_000_000;
    assertThat(first.peek("org:peek", limit, HOUR).hits()).as("nothing yet").isZero();
    for (int i = 1; i <= 10; i++) {
      first.hit("org:peek", limit, HOUR);
    }
    jdbc.sql("update rate_limit_windows set hits = hits + 100000 where bucket = 'org:peek'")
        .update();
    assertThat(first.peek("org:peek", limit, HOUR).hits())
        .as("this node's own count, without a statement")
        .isEqualTo(10);
    assertThat(first.hit("org:peek", limit, HOUR).hits()).as("peeks added nothing").isEqualTo(11);
    int stored = stored("org:peek");
    assertThat(second.peek("org:peek", limit, HOUR).hits())
        .as("a node without a reservation reads the database")
        .isEqualTo(stored);
    jdbc.sql("update rate_limit_windows set hits = hits + 5 where bucket = 'org:peek'").update();
    assertThat(second.peek("org:peek", limit, HOUR).hits())
        .as("and answers the next peeks within a second from that read")
        .isEqualTo(stored);
    assertThat(second.count("org:peek", limit, HOUR).hits())
        .as("a count, which decisions rest on, always reads the database")
        .isEqualTo(stored + 5);
    clock.advance(RateLimiter.PEEK_FRESH);
    assertThat(second.peek("org:peek", limit, HOUR).hits())
        .as("a second later it reads again")
        .isEqualTo(stored + 5);

    clock.advance(HOUR);
    assertThat(first.peek("org:peek", limit, HOUR).hits())
        .as("a reservation of a past window is not the new window's count")
        .isZero();
  }

  @Test
  void twoNodesTogetherNeverLetMoreThanTheLimitThroughAndUndershootWithinTheBound()
      throws Exception {
    int limit = 5000;
    AtomicInteger allowed = new AtomicInteger();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        RateLimiter node = t % 2 == 0 ? first : second;
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 1000; i++) {
                    if (node.hit("org:shared", limit, HOUR).allowed()) {
                      allowed.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    int bound = Math.min(RateLimiter.MAX_LEASE, limit / RateLimiter.LEASE_SHARE);
    assertThat(allowed.get()).isLessThanOrEqualTo(limit).isGreaterThanOrEqualTo(limit - bound);
  }

  @Test
  void whatAnotherNodeReservedButHasNotServedIsTheOnlyUndershoot() {
    int limit = 1000;
    // the first node reserves a batch (1000 / 64 = 15) and serves one request of it
    assertThat(first.hit("org:idle", limit, HOUR).hits()).isEqualTo(1);
    int served = 1;
    while (second.hit("org:idle", limit, HOUR).allowed()) {
      served++;
    }
    assertThat(served).isEqualTo(limit - (limit / RateLimiter.LEASE_SHARE - 1));
    // the first node still serves its reservation: together, exactly the limit
    while (first.hit("org:idle", limit, HOUR).allowed()) {
      served++;
    }
    assertThat(served).isEqualTo(limit);
  }

  @Test
  void smallLimitsAreCountedOneRequestAtATimeAcrossNodes() {
    int limit = 5;
    for (int i = 1; i <= limit; i++) {
      RateLimiter node = i % 2 == 0 ? first : second;
      RateLimiter.Decision decision = node.hit("org:small", limit, HOUR);
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.remaining()).isEqualTo(limit - i);
    }
    assertThat(first.hit("org:small", limit, HOUR).allowed()).isFalse();
    assertThat(second.hit("org:small", limit, HOUR).allowed()).isFalse();
    // once used up, a node refuses without writing
    int stored = stored("org:small");
    assertThat(second.hit("org:small", limit, HOUR).allowed()).isFalse();
    assertThat(stored("org:small")).isEqualTo(stored);
  }

  @Test
  void aNewWindowStartsFromZeroAndARaisedLimitAppliesAtOnce() {
    for (int i = 0; i < 3; i++) {
      first.hit("org:window", 3, HOUR);
    }
    assertThat(first.hit("org:window", 3, HOUR).allowed()).isFalse();
    assertThat(first.hit("org:window", 4, HOUR).allowed())
        .as("the organization's limit was raised")
        .isTrue();

    clock.advance(HOUR);
    RateLimiter.Decision next = first.hit("org:window", 3, HOUR);
    assertThat(next.allowed()).isTrue();
    assertThat(next.hits()).isEqualTo(1);
  }

  private int stored(String bucket) {
    return jdbc.sql("select coalesce(sum(hits), 0)::int from rate_limit_windows where bucket = ?")
        .param(bucket)
        .query(Integer.class)
        .single();
  }
}
