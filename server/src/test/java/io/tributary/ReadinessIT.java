package io.tributary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.FreePort;
import io.tributary.testing.Http;
import io.tributary.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health says ok only once every documented call works: a script that waits for health and then
 * exchanges the first start's credentials must never be refused. Each repetition is a first start
 * of the packaged server (fresh data directory, fresh database: the embedded one and an external
 * one in turn), polled as fast as it answers.
 */
class ReadinessIT {

  private static final String CLIENT_ID = "readiness-client";
  private static final String CLIENT_SECRET = "readiness-secret-0123456789";

  @TempDir Path dataDir;

  @RepeatedTest(5)
  void theBootstrapCredentialsWorkTheInstantHealthSaysOk(RepetitionInfo repetition)
      throws Exception {
    boolean embedded = repetition.getCurrentRepetition() % 2 == 1;
    int port = FreePort.belowEphemeralRange();
    Path log = dataDir.resolve("serve.log");
    Process server = start(port, embedded, log);
    try {
      Http http = new Http(port);
      List<Integer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
      await("health on port " + port)
          .atMost(Duration.ofSeconds(90))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .ignoreExceptions()
          .until(
              () -> {
                assertThat(server.isAlive()).as("server running").isTrue();
                int status = http.get("/api/v1/health", null).status();
                answers.add(status);
                return status == 200;
              });
      // at once, as a script would: the credentials, then a call that needs the signing key
      var token =
          http.post(
              "/api/v1/account/applications/token",
              null,
              Map.of("client_id", CLIENT_ID, "client_secret", CLIENT_SECRET));
      assertThat(token.status())
          .as("token exchange right after health said ok (health answered %s): %s", answers, token)
          .isEqualTo(200);
      var scoped =
          http.post(
              "/api/v1/embedded/scoped-token",
              token.json().get("access_token").asString(),
              Map.of("workspace_name", "first"));
      assertThat(scoped.status()).as(scoped.toString()).isEqualTo(200);
      assertThat(answers)
          .as("before ready, health says so")
          .allMatch(status -> status == 200 || status == 503);
    } finally {
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
    }
    assertThat(Files.readString(log)).doesNotContain("Exception");
  }

  private Process start(int port, boolean embedded, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar =
        System.getProperty("tributary.jar", Path.of("target", "tributary-server.jar").toString());
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx512m",
                "-jar",
                jar,
                "serve",
                "--port",
                Integer.toString(port),
                "--data-dir",
                dataDir.resolve("data").toString()));
    if (!embedded) {
      command.addAll(List.of("--database-url", TestDatabase.create()));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("TRIBUTARY_BOOTSTRAP_CLIENT_ID", CLIENT_ID);
    builder.environment().put("TRIBUTARY_BOOTSTRAP_CLIENT_SECRET", CLIENT_SECRET);
    builder.environment().put("TRIBUTARY_METRICS_PORT", "0");
    if (!embedded) {
      builder.environment().put("TRIBUTARY_MASTER_KEY", ApiTest.MASTER_KEY);
    }
    return builder.start();
  }
}
