package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code tributary admin connector ...} as an operator types it: install from PyPI (the real
 * package), list, remove, and a refusal that says why in one line.
 */
// installs real packages from PyPI: minutes on a fresh machine, not the default 120 s
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConnectorCliTest {

  /** The instance the CLI administers: the test servers' database, master key and registry. */
  private static final Map<String, String> INSTANCE =
      Map.of(
          "tributary.master-key",
          ApiTest.MASTER_KEY,
          "tributary.connector-registry-url",
          Path.of("src", "test", "resources", "airbyte-registry").toAbsolutePath().toString());

  @BeforeEach
  void instance() {
    INSTANCE.forEach(System::setProperty);
  }

  @AfterEach
  void forget() {
    INSTANCE.keySet().forEach(System::clearProperty);
  }

  record Run(int code, String out, String err) {}

  @Test
  void installListAndRemoveAPythonConnector() {
    String id = UUID.randomUUID().toString();
    Run installed = cli("install", "airbyte-source-faker==7.2.1", "--definition-id", id);
    assertThat(installed.code()).as(installed.toString()).isZero();
    assertThat(installed.out()).contains("Installed Sample Data (Faker) as " + id);

    assertThat(cli("list").out()).contains(id + "  source  Sample Data (Faker)  python  7.2.1");
    assertThat(cli("remove", id).out()).contains("Removed " + id);
    assertThat(cli("list").out()).doesNotContain(id);
  }

  @Test
  void aNameTheRegistryDoesNotKnowIsRefusedInOneLine() {
    Run refused = cli("install", "source-no-such-thing");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err().strip())
        .startsWith("no connector named source-no-such-thing in the registry at")
        .doesNotContain("Exception");
  }

  private static Run cli(String... connectorArgs) {
    List<String> args = new ArrayList<>(List.of("admin", "connector"));
    args.addAll(List.of(connectorArgs));
    args.addAll(
        List.of(
            "--data-dir",
            Path.of("target", "test-data").toString(),
            "--database-url",
            TestDatabase.sharedUrl()));
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      CommandLine command = Tributary.commandLine();
      command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
      int code = command.execute(args.toArray(String[]::new));
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }
}
