package io.tributary.common;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * How many requests are at work at once: at most {@code permits}, the others waiting their turn in
 * arrival order. A request that has held its permit longer than {@code grace} gives it back while
 * it goes on (a connector check waiting on a host that does not answer, a download): the limit is
 * on short requests competing for the CPU, and nothing long can make the others wait for it.
 *
 * <p>Why (docs/benchmarks.md, "The API under load"): with a virtual thread per request and no
 * limit, all 32 requests of a saturated 2-core server were interleaved at each of their database
 * round trips, and a request's time varied with how many others were in flight: p99 about six times
 * the median. Taking requests a few at a time, first come first served, brought p99 within two to
 * three times the median. A bounded pool of platform threads did that too, but a request waiting on
 * a connector held its thread for up to a minute; here it holds nothing after {@code grace}.
 */
final class RequestAdmission {

  /** One admitted request's permit; {@link #leave} it exactly once. */
  static final class Permit {
    private final long admittedAt;
    private final AtomicBoolean returned = new AtomicBoolean();

    private Permit(long admittedAt) {
      this.admittedAt = admittedAt;
    }
  }

  private final Semaphore permits;
  private final long graceNanos;
  private final LongSupplier nanoTime;
  private final Set<Permit> held = ConcurrentHashMap.newKeySet();

  RequestAdmission(int permits, Duration grace, LongSupplier nanoTime) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, not " + permits);
    }
    this.permits = new Semaphore(permits, true);
    this.graceNanos = grace.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Waits for a permit, in arrival order. */
  Permit admit() throws InterruptedException {
    permits.acquire();
    Permit permit = new Permit(nanoTime.getAsLong());
    held.add(permit);
    return permit;
  }

  void leave(Permit permit) {
    held.remove(permit);
    giveBack(permit);
  }

  /**
   * Gives back the permits of requests at work longer than the grace period, so the next requests
   * in line go ahead; called every fraction of the grace period.
   */
  void releaseOverdue() {
    long now = nanoTime.getAsLong();
    for (Permit permit : held) {
      if (now - permit.admittedAt >= graceNanos) {
        held.remove(permit);
        giveBack(permit);
      }
    }
  }

  int available() {
    return permits.availablePermits();
  }

  /** How many requests wait for a permit (an estimate, as the semaphore's). */
  int queued() {
    return permits.getQueueLength();
  }

  private void giveBack(Permit permit) {
    if (permit.returned.compareAndSet(false, true)) {
      permits.release();
    }
  }
}
