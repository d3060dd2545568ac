package io.tributary.connector;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The moment whoever called a connector stops waiting for its answer: an API request's check,
 * discover or spec, bounded so that a hung system never hangs the request.
 *
 * <p>A connector that waits on a process of its own waits no longer than this, and stops the
 * process then, rather than at its own longer timeout: nobody reads the answer after it, and the
 * process would hold the decrypted configuration meanwhile. The deadline belongs to the thread that
 * makes the call; work the call must finish whatever the caller does (installing a package, storing
 * a rotated token) does not read it, which is why the call is not simply interrupted.
 */
public final class CallDeadline {

  private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

  private CallDeadline() {}

  /** Runs {@code call} on this thread, whose connector waits end {@code timeout} from now. */
  public static <T> T within(Duration timeout, Supplier<T> call) {
    Long outer = DEADLINE.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    DEADLINE.set(outer == null || deadline - outer < 0 ? deadline : outer);
    try {
      return call.get();
    } finally {
      if (outer == null) {
        DEADLINE.remove();
      } else {
        DEADLINE.set(outer);
      }
    }
  }

  /** {@code timeout}, or less when this thread's caller stops waiting sooner; never negative. */
  public static Duration cap(Duration timeout) {
    Long deadline = DEADLINE.get();
    if (deadline == null) {
      return timeout;
    }
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    return left.compareTo(timeout) < 0 ? left : timeout;
  }
}
