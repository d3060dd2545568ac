package io.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.Tributary;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * What `./tributary serve` does on a fresh machine: embedded PostgreSQL under the data dir,
 * bootstrap, reuse.
 */
class EmbeddedDefaultTest {

  @TempDir Path dataDir;

  @Test
  void firstStartBootstrapsAndASecondStartReusesDataAndCredentials() throws Exception {
    String masterKey;
    try (var server = start()) {
      Http http = new Http(port(server));
      assertThat(http.get("/api/v1/health", null).body()).isEqualTo("{\"status\":\"ok\"}");
      String token =
          new Fixtures(http).operatorToken("bootstrap-client", "bootstrap-secret-for-the-test");
      assertThat(
              http.post("/api/v1/embedded/scoped-token", token, Map.of("workspace_name", "first"))
                  .status())
          .isEqualTo(200);
      assertThat(Files.exists(dataDir.resolve("postgres/PG_VERSION"))).isTrue();
      // it holds sealed secrets and signing keys: durable, whatever zonky's test-oriented defaults
      // are (SPEC §18)
      var database = server.getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
      assertThat(database.sql("show fsync").query(String.class).single()).isEqualTo("on");
      assertThat(database.sql("show synchronous_commit").query(String.class).single())
          .isEqualTo("on");
      masterKey = Files.readString(dataDir.resolve("master.key"));

      // The CLI, run next to the live server, works on the same database.
      JsonNode created =
          Http.JSON.readTree(
              cli(
                  "admin",
                  "application",
                  "create",
                  "--name",
                  "from-cli",
                  "--data-dir",
                  dataDir.toString(),
                  "--json"));
      assertThat(
              new Fixtures(http)
                  .operatorToken(
                      created.get("client_id").asString(), created.get("client_secret").asString()))
          .isNotBlank();
    }

    try (var server = start()) {
      Http http = new Http(port(server));
      assertThat(http.get("/api/v1/health", null).status()).isEqualTo(200);
      String token =
          new Fixtures(http).operatorToken("bootstrap-client", "bootstrap-secret-for-the-test");
      var info =
          http.get(
              "/api/v1/embedded/scoped-token/info",
              http.post("/api/v1/embedded/scoped-token", token, Map.of("workspace_name", "first"))
                  .json()
                  .get("token")
                  .asString());
      assertThat(info.json().get("workspace_name").asString()).isEqualTo("first");
      assertThat(Files.readString(dataDir.resolve("master.key"))).isEqualTo(masterKey);
      assertThat(cli("admin", "organization", "list", "--data-dir", dataDir.toString()))
          .contains("Default organization");
      assertThat(
              Http.JSON
                  .readTree(
                      cli(
                          "admin",
                          "organization",
                          "list",
                          "--data-dir",
                          dataDir.toString(),
                          "--json"))
                  .get("data")
                  .size())
          .isEqualTo(1);
    }
  }

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(TributaryApplication.class)
        .properties(
            Map.of(
                "server.port", "0",
                "tributary.metrics-port", "0",
                "tributary.data-dir", dataDir.toString(),
                "tributary.bootstrap-client-id", "bootstrap-client",
                "tributary.bootstrap-client-secret", "bootstrap-secret-for-the-test"))
        .run();
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  private static String cli(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Tributary()).execute(args);
      assertThat(code).isZero();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
