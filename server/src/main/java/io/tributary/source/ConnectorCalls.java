package io.tributary.source;

import io.tributary.connector.CallDeadline;
import io.tributary.connector.ConnectorException;
import io.tributary.connector.ConnectorTimeoutException;
import io.tributary.connector.FailureType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Connector calls bounded in time, so a hung system never hangs an API request or a sync. A call
 * past its deadline throws {@link ConnectorTimeoutException}, which the API answers with 504 and a
 * sync treats as any transient connector failure; the connector stops waiting on its process at the
 * same moment ({@link CallDeadline}) and stops it.
 */
public final class ConnectorCalls {

  private ConnectorCalls() {}

  public static <T> T within(Duration timeout, String what, Supplier<T> call) {
    // the call's own waits end with ours (CallDeadline), so its connector process stops with it
    CompletableFuture<T> future =
        CompletableFuture.supplyAsync(
            () -> CallDeadline.within(timeout, call),
            runnable -> Thread.ofVirtual().start(runnable));
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ConnectorTimeoutException(what, timeout);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ConnectorException connector) {
        throw connector;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new ConnectorException(FailureType.SYSTEM_ERROR, what + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ConnectorException.transientError(what + " was interrupted", e);
    }
  }
}
