package io.tributary.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.database.AsyncCommit;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fixed-window counters in PostgreSQL, so every server node shares them. One upsert per request
 * both counts and reads the count, which gives exact {@code X-RateLimit-*} headers without a lock
 * held across calls.
 *
 * <p>Chosen over bucket4j's PostgreSQL backend because that keeps a serialized bucket per key and
 * needs a select-for-update round trip plus a write; a fixed window costs one statement and its
 * reset time is the documented {@code X-RateLimit-Reset}.
 */
@Component
public class RateLimiter {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final MeterRegistry meters;
  private final AsyncCommit asyncCommit;

  RateLimiter(JdbcClient jdbc, Clock clock, MeterRegistry meters, AsyncCommit asyncCommit) {
    this.jdbc = jdbc;
    this.asyncCommit = asyncCommit;
    this.clock = clock;
    this.meters = meters;
  }

  /** Counts one request against {@code bucket} and says whether it is within {@code limit}. */
  public Decision hit(String bucket, int limit, Duration window) {
    Instant start = windowStart(window);
    // every request counts: a durable commit each would make every call wait for the disk, and
    // counts lost in a
    // crash only let a few more requests through
    int hits =
        asyncCommit.run(
            () ->
                jdbc.sql(
                        AsyncCommit.RELAXED
                            + """
            insert into rate_limit_windows (bucket, window_start, hits) select ?, ?, 1 from relaxed
            on conflict (bucket, window_start) do update set hits = rate_limit_windows.hits + 1
            returning hits""")
                    .params(bucket, Timestamp.from(start))
                    .query(Integer.class)
                    .single());
    Decision decision = new Decision(limit, hits, start.plus(window), clock.instant());
    if (!decision.allowed()) {
      meters.counter("tributary.ratelimit.rejections", "bucket", kind(bucket)).increment();
    }
    return decision;
  }

  /** The current count of {@code bucket} without adding to it. */
  public Decision peek(String bucket, int limit, Duration window) {
    Instant start = windowStart(window);
    int hits =
        jdbc.sql(
                "select coalesce(max(hits), 0) from rate_limit_windows where bucket = ? and window_start = ?")
            .params(bucket, Timestamp.from(start))
            .query(Integer.class)
            .single();
    return new Decision(limit, hits, start.plus(window), clock.instant());
  }

  @Scheduled(fixedDelayString = "${tributary.rate-limit-cleanup:10m}")
  void deleteExpiredWindows() {
    jdbc.sql("delete from rate_limit_windows where window_start < ?")
        .param(Timestamp.from(clock.instant().minus(Duration.ofHours(2))))
        .update();
  }

  private Instant windowStart(Duration window) {
    long seconds = window.toSeconds();
    long now = clock.instant().getEpochSecond();
    return Instant.ofEpochSecond(now - Math.floorMod(now, seconds));
  }

  private static String kind(String bucket) {
    int colon = bucket.indexOf(':');
    return colon < 0 ? bucket : bucket.substring(0, colon);
  }

  /**
   * @param hits requests counted in the window, this one included
   */
  public record Decision(int limit, int hits, Instant reset, Instant now) {
    public boolean allowed() {
      return hits <= limit;
    }

    public int remaining() {
      return Math.max(0, limit - hits);
    }

    public Duration retryAfter() {
      return Duration.between(now, reset);
    }
  }
}
