package io.tributary.testing;

import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A full server on a random port against a real PostgreSQL. Every test class extending this shares
 * one application context and database; tests isolate themselves by creating their own
 * organizations.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// the worker's region is a test property, not a dynamic one, so that a test class with settings of
// its own (a context of its own) can also give its worker a region of its own: the contexts alive
// in one JVM each run a worker, and a sync must be run by the context whose settings it tests
@TestPropertySource(properties = "tributary.worker.region=" + ApiTest.US_REGION)
public abstract class ApiTest {

  public static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
  public static final String US_REGION = "645a183f-b12b-4c6e-8ad3-99e165603450";
  public static final String EU_REGION = "b9e48d61-f082-4a14-a8d0-799a907938cb";

  @LocalServerPort protected int port;
  protected Http http;
  protected Fixtures fixtures;

  @DynamicPropertySource
  static void server(DynamicPropertyRegistry registry) {
    properties(TestDatabase.sharedUrl())
        .forEach(
            (name, value) -> {
              if (!name.equals("tributary.worker.region")) {
                registry.add(name, () -> value);
              }
            });
  }

  /**
   * The properties of a test server on {@code databaseUrl}; tests that start a second server reuse
   * them.
   */
  public static java.util.Map<String, String> properties(String databaseUrl) {
    return java.util.Map.ofEntries(
        java.util.Map.entry("tributary.database-url", databaseUrl),
        java.util.Map.entry("tributary.failed-logins-per-address-per-minute", "100000"),
        java.util.Map.entry("tributary.master-key", MASTER_KEY),
        java.util.Map.entry("tributary.admin-key", Fixtures.ADMIN_KEY),
        java.util.Map.entry("tributary.rate-limit-per-hour", "1000000"),
        java.util.Map.entry("tributary.bootstrap", "false"),
        java.util.Map.entry("tributary.metrics-port", "0"),
        // the tests' PostgreSQL, MariaDB, S3 and HTTP servers run on this machine; the operator
        // allows it (SPEC §17)
        java.util.Map.entry("tributary.egress-allow", "127.0.0.0/8,::1,localhost"),
        java.util.Map.entry("tributary.data-dir", Path.of("target", "test-data").toString()),
        // what vector destinations' text splitter downloads, kept where it looks first
        java.util.Map.entry(
            "tributary.connector-environment", "TIKTOKEN_CACHE_DIR=" + TiktokenCache.DIRECTORY),
        // Airbyte's registry as an air-gapped site keeps it: a directory (SPEC §14)
        java.util.Map.entry(
            "tributary.connector-registry-url",
            Path.of("src", "test", "resources", "airbyte-registry").toAbsolutePath().toString()),
        // EU syncs are left to the worker processes that tests start themselves
        java.util.Map.entry("tributary.worker.region", US_REGION),
        // checkpoints every second: a sync of a few seconds has some to resume from, whichever of
        // the test contexts alive in this JVM (each with a worker) runs it
        java.util.Map.entry("tributary.worker.commit-interval", "1s"),
        java.util.Map.entry("tributary.heartbeat", "1s"),
        java.util.Map.entry("tributary.abandoned-after", "8s"),
        java.util.Map.entry("tributary.abandoned-job-sweep", "1s"));
  }

  @BeforeEach
  void client() {
    http = new Http(port);
    fixtures = new Fixtures(http);
  }
}
