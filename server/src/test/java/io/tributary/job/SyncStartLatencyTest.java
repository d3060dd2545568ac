package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A manual sync starts at once (issue 17, acceptance 4): the worker listens for queued jobs ({@code
 * LISTEN/NOTIFY}) instead of waiting for its next poll, a second at most. Measured as the job's own
 * {@code started_at - created_at} over 20 syncs.
 */
class SyncStartLatencyTest extends ApiTest {

  @Test
  void aManualSyncIsRunningWithinMillisecondsOfTheCall() {
    var tenant = fixtures.tenant();
    String template = fixtures.fakerTemplate(tenant, 11);
    fixtures.lakeTemplate(tenant, "lake", "/local/start-latency", Map.of());
    String scoped = fixtures.scopedToken(tenant, "eager corp");
    String connection = fixtures.embeddedConnection(scoped, template, Map.of("count", 10));
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      JsonNode job = fixtures.sync(tenant.operatorToken(), connection);
      assertThat(job.get("status").asString()).isEqualTo("succeeded");
      Instant created = Instant.parse(job.get("created_at").asString());
      Instant started = Instant.parse(job.get("started_at").asString());
      waits.add(Duration.between(created, started).toMillis());
    }
    Collections.sort(waits);
    long median = (waits.get(9) + waits.get(10)) / 2;
    System.out.println("manual sync, queued → running (ms): " + waits + ", median " + median);
    assertThat(median).as("median ms from the API call's queueing to running").isLessThan(100);
  }
}
