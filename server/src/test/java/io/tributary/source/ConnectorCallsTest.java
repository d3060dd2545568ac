package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.CallDeadline;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectorCallsTest {

  @Test
  void theConnectorsOwnWaitsEndWhenTheCallDoes() {
    Duration left =
        ConnectorCalls.within(
            Duration.ofSeconds(1), "The check", () -> CallDeadline.cap(Duration.ofMinutes(5)));
    assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(CallDeadline.cap(Duration.ofMinutes(5)))
        .as("outside a call, a connector keeps its own timeout")
        .isEqualTo(Duration.ofMinutes(5));
  }
}
