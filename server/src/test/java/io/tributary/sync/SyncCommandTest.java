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

  @Test
  void followShowsProgressPerStreamAndExitsWithTheJobsOutcome() {
    var tenant = fixtures.tenant();
    String faker = fixtures.fakerTemplate(tenant, 2);
    fixtures.lakeTemplate(tenant, "Lake", "/local/follow-" + UUID.randomUUID(), Map.of());
    String scoped = fixtures.scopedToken(tenant, "follow");
    String connection = fixtures.embeddedConnection(scoped, faker, Map.of("count", 20_000));

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
