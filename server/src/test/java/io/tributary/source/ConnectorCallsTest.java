package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connector.ConnectorTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectorCallsTest {

  @Test
  void aCallPastItsDeadlineIsInterruptedSoWhatItWaitsOnStops() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);

    assertThatThrownBy(
            () ->
                ConnectorCalls.within(
                    Duration.ofMillis(200),
                    "The connection check",
                    () -> {
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                      }
                      return null;
                    }))
        .isInstanceOf(ConnectorTimeoutException.class);
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
