package io.tributary.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.database.AsyncCommit;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fixed-window counters in PostgreSQL, so every server node shares them.
 *
 * <p>A node does not write every request: it reserves a batch of its bucket's window in one
 * statement (the counter grows by the batch and returns the new total) and hands the batch out from
 * memory. A batch is at most {@link #MAX_LEASE} and at most the window's remaining requests divided
 * by {@link #LEASE_SHARE}, so limits below {@code 2 × LEASE_SHARE} and the last requests of any
 * window are counted one statement each, exactly as before. Reservations never exceed the limit, so
 * nodes together never let more than the limit through (no overshoot; an asynchronous commit lost
 * in a crash of the database aside, see below). The price is undershoot: requests another node
 * reserved but has not served yet count as made, so across {@code N} nodes callers may be refused
 * up to {@code (N − 1) × min(MAX_LEASE, limit / LEASE_SHARE)} requests early in a window, and a
 * node that stops loses what it had reserved. On one node the counts and the {@code X-RateLimit-*}
 * headers are exact; across nodes {@code X-RateLimit-Remaining} leaves out the other nodes'
 * requests since their last reservation and counts their unused reservations as made. Once a window
 * is used up, refusals cost no statement at all until the window ends.
 *
 * <p>Chosen over bucket4j's PostgreSQL backend because that keeps a serialized bucket per key and
 * needs a select-for-update round trip plus a write; a fixed window costs one statement per batch
 * and its reset time is the documented {@code X-RateLimit-Reset}.
 */
@Component
public class RateLimiter {

  /** Largest batch of requests a node reserves at once. */
  static final int MAX_LEASE = 256;

  /** A batch is at most the window's remaining requests divided by this. */
  static final int LEASE_SHARE = 64;

  /**
   * Buckets a node keeps reservations for; past this (many client addresses within one window) new
   * buckets are counted one statement per request, so memory stays bounded.
   */
  static final int MAX_BUCKETS = 50_000;

  /** How long a count read for a peek answers the next peeks of its bucket. */
  static final Duration PEEK_FRESH = Duration.ofSeconds(1);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final MeterRegistry meters;
  private final AsyncCommit asyncCommit;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final Map<String, Peeked> peeked = new ConcurrentHashMap<>();

  RateLimiter(JdbcClient jdbc, Clock clock, MeterRegistry meters, AsyncCommit asyncCommit) {
    this.jdbc = jdbc;
    this.asyncCommit = asyncCommit;
    this.clock = clock;
    this.meters = meters;
  }

  /** Counts one request against {@code bucket} and says whether it is within {@code limit}. */
  public Decision hit(String bucket, int limit, Duration window) {
    Instant start = windowStart(window);
    Lease lease = leases.get(bucket);
    if (lease == null && leases.size() < MAX_BUCKETS) {
      lease = leases.computeIfAbsent(bucket, b -> new Lease());
    }
    int hits;
    if (lease == null) {
      hits = reserve(bucket, start, 1);
    } else {
      // a lock rather than synchronized: a virtual thread waiting on a monitor pins its carrier
      lease.lock.lock();
      try {
        hits = lease.take(bucket, start, limit);
      } finally {
        lease.lock.unlock();
      }
    }
    Decision decision = new Decision(limit, hits, start.plus(window), clock.instant());
    if (!decision.allowed()) {
      meters.counter("tributary.ratelimit.rejections", "bucket", kind(bucket)).increment();
    }
    return decision;
  }

  /** Adds {@code batch} to the window's counter; the new total. */
  private int reserve(String bucket, Instant start, int batch) {
    // a durable commit each would make requests wait for the disk, and counts lost in a crash of
    // the database only let a few more requests through
    return asyncCommit.run(
        () ->
            jdbc.sql(
                    AsyncCommit.RELAXED
                        + """
            insert into rate_limit_windows (bucket, window_start, hits) select ?, ?, ? from relaxed
            on conflict (bucket, window_start) do update set hits = rate_limit_windows.hits + excluded.hits
            returning hits""")
                .params(bucket, Timestamp.from(start), batch)
                .query(Integer.class)
                .single());
  }

  /** One node's reservation in one bucket's current window; guarded by {@link #lock}. */
  private final class Lease {
    final ReentrantLock lock = new ReentrantLock();

    /** Volatile: the cleanup reads it without the lock. */
    volatile Instant window = Instant.EPOCH;

    /**
     * The window's count as this node knows it: every node's requests up to this node's last
     * reservation, its own {@link #unused} ones included.
     */
    int counted;

    /** Reserved by this node and not yet handed out. */
    int unused;

    /** The window's total in the database as this node last saw it. */
    int seen;

    /**
     * The window's count as far as this node knows without reserving: its requests and the others'
     * up to its last reservation or, once its reservation is spent, the total it last saw.
     */
    int known() {
      return unused > 0 ? counted - unused : Math.max(counted, seen);
    }

    /** The number of requests this request is in its window, as far as this node knows. */
    int take(String bucket, Instant start, int limit) {
      if (!start.equals(window)) {
        window = start;
        counted = 0;
        unused = 0;
        seen = 0;
      }
      if (unused == 0) {
        if (seen >= limit) {
          // counters only grow within a window: once used up it stays so, and refusing costs
          // nothing
          return seen + 1;
        }
        int batch = Math.clamp((limit - seen) / LEASE_SHARE, 1, MAX_LEASE);
        int total = reserve(bucket, start, batch);
        int before = total - batch;
        int granted = Math.clamp(limit - before, 0, batch);
        seen = total;
        if (granted == 0) {
          return total;
        }
        // the others' requests since this node's last reservation count too
        counted = before + granted;
        unused = granted;
      }
      unused--;
      return counted - unused;
    }
  }

  /**
   * The current count of {@code bucket} without adding to it, for the {@code X-RateLimit-*} headers
   * of requests that are not counted: what this node knows when it holds a reservation in the
   * bucket's window, else the database's count read at most once a second. Unmetered requests
   * (health, static files, the API documents) so cost next to nothing. Where a decision rests on
   * the count, use {@link #count}.
   */
  public Decision peek(String bucket, int limit, Duration window) {
    Instant start = windowStart(window);
    Lease lease = leases.get(bucket);
    Integer known = null;
    if (lease != null) {
      lease.lock.lock();
      try {
        known = start.equals(lease.window) ? lease.known() : null;
      } finally {
        lease.lock.unlock();
      }
    }
    Instant now = clock.instant();
    int hits = known != null ? known : read(bucket, start, now);
    return new Decision(limit, hits, start.plus(window), now);
  }

  /**
   * The current count of {@code bucket} without adding to it, read from the database: exact across
   * nodes up to their unused reservations, one statement each time.
   */
  public Decision count(String bucket, int limit, Duration window) {
    Instant start = windowStart(window);
    return new Decision(limit, stored(bucket, start), start.plus(window), clock.instant());
  }

  private int stored(String bucket, Instant start) {
    return jdbc.sql(
            "select coalesce(max(hits), 0) from rate_limit_windows where bucket = ? and window_start = ?")
        .params(bucket, Timestamp.from(start))
        .query(Integer.class)
        .single();
  }

  /**
   * The database's count of the window, read at most once per {@link #PEEK_FRESH} per bucket: a
   * flood of health checks from one address costs one statement a second, not one a request.
   */
  private int read(String bucket, Instant start, Instant now) {
    Peeked last = peeked.get(bucket);
    if (last != null && last.window.equals(start) && now.isBefore(last.at.plus(PEEK_FRESH))) {
      return last.hits;
    }
    int hits = stored(bucket, start);
    if (last != null || peeked.size() < MAX_BUCKETS) {
      peeked.put(bucket, new Peeked(start, hits, now));
    }
    return hits;
  }

  /** A window's count as the database gave it {@code at}. */
  private record Peeked(Instant window, int hits, Instant at) {}

  @Scheduled(fixedDelayString = "${tributary.rate-limit-cleanup:10m}")
  void deleteExpiredWindows() {
    // windows are at most an hour: a reservation older than that belongs to a finished window
    Instant finished = clock.instant().minus(Duration.ofHours(1));
    leases.values().removeIf(lease -> lease.window.isBefore(finished));
    peeked.values().removeIf(peek -> peek.window().isBefore(finished));
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
