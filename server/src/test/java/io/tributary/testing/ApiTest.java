package io.tributary.testing;

import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A full server on a random port against a real PostgreSQL. Every test class extending this shares one
 * application context and database; tests isolate themselves by creating their own organizations.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTest {

  public static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  @LocalServerPort protected int port;
  protected Http http;
  protected Fixtures fixtures;

  @DynamicPropertySource
  static void server(DynamicPropertyRegistry registry) {
    properties(TestDatabase.sharedUrl()).forEach((name, value) -> registry.add(name, () -> value));
  }

  /** The properties of a test server on {@code databaseUrl}; tests that start a second server reuse them. */
  public static java.util.Map<String, String> properties(String databaseUrl) {
    return java.util.Map.of(
        "tributary.database-url", databaseUrl,
        "tributary.failed-logins-per-address-per-minute", "100000",
        "tributary.master-key", MASTER_KEY,
        "tributary.admin-key", Fixtures.ADMIN_KEY,
        "tributary.rate-limit-per-hour", "1000000",
        "tributary.bootstrap", "false",
        "tributary.metrics-port", "0",
        "tributary.data-dir", Path.of("target", "test-data").toString());
  }

  @BeforeEach
  void client() {
    http = new Http(port);
    fixtures = new Fixtures(http);
  }
}
