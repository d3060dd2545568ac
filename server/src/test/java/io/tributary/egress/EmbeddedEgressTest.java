package io.tributary.egress;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.TributaryApplication;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import io.tributary.testing.SourceDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A local instance (loopback only, embedded database: `./tributary serve` on defaults) reaches
 * databases on this machine without any allow list, but never its own embedded PostgreSQL, which
 * trusts local connections.
 */
class EmbeddedEgressTest {

  static final String POSTGRES_SOURCE = "decd338e-5647-4c0b-adf4-da0e75f5a750";

  @TempDir Path dataDir;

  @Test
  void aLocalInstanceReachesLocalDatabasesButNotItsOwn() throws Exception {
    try (var server =
        new SpringApplicationBuilder(TributaryApplication.class)
            .properties(
                Map.of(
                    "server.port", "0",
                    "tributary.metrics-port", "0",
                    "tributary.data-dir", dataDir.toString(),
                    "tributary.embedded-durable", "false",
                    "tributary.bootstrap-client-id", "bootstrap-client",
                    "tributary.bootstrap-client-secret", "bootstrap-secret-for-the-test"))
            .run()) {
      Http http = new Http(((WebServerApplicationContext) server).getWebServer().getPort());
      String operator =
          new Fixtures(http).operatorToken("bootstrap-client", "bootstrap-secret-for-the-test");
      String scoped =
          http.post("/api/v1/embedded/scoped-token", operator, Map.of("workspace_name", "me"))
              .json()
              .get("token")
              .asString();
      int embedded =
          Integer.parseInt(
              Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());

      SourceDatabase mine = SourceDatabase.create();
      JsonNode reached = check(http, operator, scoped, "127.0.0.1", mine.port(), mine.database());
      assertThat(reached.get("status").asString()).as(reached.toString()).isEqualTo("succeeded");

      for (String host : new String[] {"127.0.0.1", "localhost", "0.0.0.0"}) {
        JsonNode refused = check(http, operator, scoped, host, embedded, "postgres");
        assertThat(refused.get("status").asString()).isEqualTo("failed");
        assertThat(refused.get("message").asString())
            .as(host)
            .isEqualTo(
                "Tributary does not connect to "
                    + host
                    + ":"
                    + embedded
                    + ": it is one of Tributary's own services");
      }
    }
  }

  private static JsonNode check(
      Http http, String operator, String scoped, String host, int port, String database) {
    Map<String, Object> defaults =
        new HashMap<>(Map.of("host", host, "port", port, "ssl_mode", Map.of("mode", "disable")));
    var template =
        http.post(
            "/api/v1/integrations/templates/sources",
            operator,
            Map.of("actor_definition_id", POSTGRES_SOURCE, "partial_default_config", defaults));
    assertThat(template.status()).as(template.toString()).isEqualTo(200);
    var response =
        http.post(
            "/api/v1/embedded/sources/check",
            scoped,
            Map.of(
                "source_template_id",
                template.json().get("id").asString(),
                "source_config",
                Map.of("database", database, "username", "postgres", "password", "x")));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }
}
