package io.tributary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.FreePort;
import io.tributary.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, run as a newcomer runs it: the launcher script against the packaged
 * server.
 */
class LauncherIT {

  @TempDir Path dataDir;

  @Test
  void serveStartsAHealthyServerPrintsNextStepsAndStopsCleanly() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Path output = dataDir.resolve("serve.log");
    int port = FreePort.belowEphemeralRange();
    Process server =
        new ProcessBuilder(
                root.resolve("tributary").toString(),
                "serve",
                "--port",
                Integer.toString(port),
                "--data-dir",
                dataDir.resolve("data").toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      Http http = new Http(port);
      await("health at port " + port)
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> http.get("/api/v1/health", null).status() == 200);
      // it listens on loopback alone: the machine's other addresses do not reach it
      new java.net.Socket("127.0.0.1", port).close();
      for (var address :
          java.net.NetworkInterface.networkInterfaces()
              .flatMap(java.net.NetworkInterface::inetAddresses)
              .filter(
                  a ->
                      a instanceof java.net.Inet4Address
                          && !a.isLoopbackAddress()
                          && !a.isLinkLocalAddress())
              .toList()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new java.net.Socket(address, port).close())
            .as(address.toString())
            .isInstanceOf(java.net.ConnectException.class);
      }
      await("next steps printed")
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(output).contains("export TRIBUTARY_CLIENT_SECRET="));
      assertThat(Files.readString(output))
          .contains("Tributary is ready at http://localhost:" + port)
          .contains("Demo:      http://localhost:" + port + "/demo");

      // the quickstart's demo: the operator page, and a widget token for its end user with demo
      // templates behind it
      var demo = http.get("/demo", null);
      assertThat(demo.status()).isEqualTo(200);
      assertThat(demo.body()).contains("/widget/v1/widget.js");
      assertThat(
              http.post(
                      "/demo/widget-token",
                      null,
                      java.util.Map.of("visitor", java.util.UUID.randomUUID()))
                  .status())
          .as("only the demo page itself may ask")
          .isEqualTo(403);
      var token =
          http.send(
              "POST",
              "/demo/widget-token",
              null,
              java.util.Map.of("visitor", java.util.UUID.randomUUID()),
              java.util.Map.of("Origin", "http://localhost:" + port));
      assertThat(token.status()).as(token.toString()).isEqualTo(200);
      String jwt =
          tools.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(java.util.Base64.getDecoder().decode(token.body().trim()))
              .get("token")
              .asString();
      var templates = http.get("/api/v1/embedded/source-templates", jwt).json().get("data");
      assertThat(templates.valueStream().map(t -> t.get("name").asString()).toList())
          .containsExactlyInAnyOrder("Demo data", "PostgreSQL");

      // the embedded PostgreSQL trusts local connections: an end user's connector may not reach it
      String postgresTemplate =
          templates
              .valueStream()
              .filter(t -> t.get("name").asString().equals("PostgreSQL"))
              .findFirst()
              .orElseThrow()
              .get("id")
              .asString();
      String embeddedPort =
          Files.readAllLines(dataDir.resolve("data/postgres/postmaster.pid")).get(3).trim();
      var check =
          http.post(
              "/api/v1/embedded/sources/check",
              jwt,
              java.util.Map.of(
                  "source_template_id",
                  postgresTemplate,
                  "source_config",
                  java.util.Map.of(
                      "host",
                      "127.0.0.1",
                      "port",
                      Integer.parseInt(embeddedPort),
                      "database",
                      "postgres",
                      "username",
                      "postgres",
                      "ssl_mode",
                      java.util.Map.of("mode", "disable"))));
      assertThat(check.status()).as(check.toString()).isEqualTo(200);
      assertThat(check.json().get("status").asString()).isEqualTo("failed");
      assertThat(check.json().get("message").asString())
          .contains("one of Tributary's own services");
    } finally {
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
    }
    assertThat(Files.readString(output)).doesNotContain("Exception");
    assertThat(Files.exists(dataDir.resolve("data/postgres/postmaster.pid")))
        .as("embedded PostgreSQL stopped")
        .isFalse();
  }
}
