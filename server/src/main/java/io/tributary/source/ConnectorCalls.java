package io.tributary.source;

import io.tributary.common.ApiException;
import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;

/** Connector calls made while a request waits, bounded in time so a hung system never hangs the API. */
public final class ConnectorCalls {

  private ConnectorCalls() {}

  public static <T> T within(Duration timeout, String what, Supplier<T> call) {
    CompletableFuture<T> future = CompletableFuture.supplyAsync(call, runnable -> Thread.ofVirtual().start(runnable));
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, what + " did not finish within " + timeout.toSeconds() + " seconds");
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
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, what + " was interrupted");
    }
  }
}
