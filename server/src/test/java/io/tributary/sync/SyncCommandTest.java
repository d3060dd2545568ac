package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.SyncCommand;
import io.tributary.testing.ApiTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code tributary sync <connection> --follow} against a running server, as an operator types it.
 */
class SyncCommandTest extends ApiTest {

  static final String FAKER = "dfd88b22-b603-4c3d-aad7-3701784586b1";
  static final String LOCAL_JSON = "a625d593-bba5-4a1c-a53d-2d246268a816";

  @Test
  void followShowsProgressPerStreamAndExitsWithTheJobsOutcome() {
    var tenant = fixtures.tenant();
    String faker =
        http.post(
                "/api/v1/integrations/templates/sources",
                tenant.operatorToken(),
                Map.of("actor_definition_id", FAKER, "partial_default_config", Map.of("seed", 2)))
            .json()
            .get("id")
            .asString();
    assertThat(
            http.post(
                    "/api/v1/integrations/templates/connections",
                    tenant.operatorToken(),
                    Map.of(
                        "destination_name",
                        "Lake",
                        "destination_definition_id",
                        LOCAL_JSON,
                        "destination_config",
                        Map.of("destination_path", "/local/follow-" + UUID.randomUUID()),
                        "sync_on_create",
                        false))
                .status())
        .isEqualTo(200);
    String scoped = fixtures.scopedToken(tenant, "follow");
    String connection =
        http.post(
                "/api/v1/embedded/sources",
                scoped,
                Map.of("source_template_id", faker, "source_config", Map.of("count", 20_000)))
            .json()
            .get("connection_ids")
            .get(0)
            .asString();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        run(
            out,
            err,
            connection,
            "--follow",
            "--interval",
            "0.2",
            "--url",
            "http://localhost:" + port,
            "--client-id",
            tenant.clientId(),
            "--client-secret",
            tenant.clientSecret());

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .startsWith("Started job ")
        .contains("users: ")
        .contains("rec/s")
        .contains("succeeded")
        .doesNotContain(tenant.clientSecret());

    StringWriter refused = new StringWriter();
    assertThat(
            run(
                new StringWriter(),
                refused,
                connection,
                "--url",
                "http://localhost:" + port,
                "--client-id",
                tenant.clientId(),
                "--client-secret",
                "wrong-secret"))
        .isEqualTo(1);
    assertThat(refused.toString())
        .contains("Token exchange failed (401)")
        .doesNotContain("wrong-secret");
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine command = new CommandLine(new SyncCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }
}
