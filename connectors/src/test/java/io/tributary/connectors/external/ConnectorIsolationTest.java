package io.tributary.connectors.external;

import static io.tributary.connector.contract.SourceContract.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.connector.StreamReader;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What a connector process can reach (SPEC §14): only the environment it needs, a working directory
 * of its own that goes away with it, and no process of its outliving a cancelled read.
 */
class ConnectorIsolationTest {

  static final String SCRIPT =
      Path.of("src/test/resources/connectors/nosy-connector.sh").toAbsolutePath().toString();

  @Test
  void aConnectorSeesOnlyTheEnvironmentItNeedsInADirectoryOfItsOwn() {
    var launch =
        new ConnectorLaunch(
            List.of("bash", SCRIPT), Map.of("AIRBYTE_ENABLE_UNSAFE_CODE", "true"), null, null);
    String seen =
        new ExternalSource(launch, Duration.ofSeconds(30), TestEgress.LOCAL)
            .spec()
            .documentationUrl();
    List<String> names =
        Arrays.asList(seen.substring("env:".length(), seen.indexOf(';')).split(","));
    assertThat(System.getenv()).as("the test's own environment is richer").containsKey("JAVA_HOME");
    assertThat(names)
        .as("nothing of the server's environment but PATH and the locale")
        .doesNotContain("JAVA_HOME", "TRIBUTARY_MASTER_KEY", "TRIBUTARY_DATABASE_URL", "USER")
        .contains("PATH", "HOME", "TMPDIR", "DO_NOT_TRACK", "AIRBYTE_ENABLE_UNSAFE_CODE");
    String directory = seen.substring(seen.indexOf("cwd:") + 4, seen.indexOf(";home:"));
    assertThat(seen).endsWith("home:" + directory);
    assertThat(Path.of(directory).getFileName().toString()).startsWith("run-");
    assertThat(Path.of(directory).getParent().getFileName().toString())
        .startsWith("tributary-connectors-");
    assertThat(Path.of(directory)).as("removed when the connector ended").doesNotExist();
  }

  @Test
  void inTheSandboxAConnectorSeesNeitherTheServersEnvironmentNorItsHiddenFiles() throws Exception {
    Path data = Path.of("target", "sandbox-data-" + System.nanoTime()).toAbsolutePath();
    Files.createDirectories(data);
    Path key = Files.writeString(data.resolve("master.key"), "master-key-of-the-instance");
    Sandbox sandbox =
        Sandbox.bubblewrap("bwrap", List.of(data, Path.of(System.getProperty("java.io.tmpdir"))))
            .orElseThrow(() -> new AssertionError(".ci/run installs bubblewrap: bwrap must run"));
    var launch =
        new ConnectorLaunch(
            List.of("bash", SCRIPT),
            Map.of(
                "NOSY_SECRET_FILE",
                key.toString(),
                "NOSY_SERVER_PID",
                String.valueOf(ProcessHandle.current().pid())),
            null,
            null);

    String unconfined =
        new ExternalSource(launch, Duration.ofSeconds(30), TestEgress.LOCAL)
            .spec()
            .documentationUrl();
    assertThat(unconfined)
        .as("what a connector outside the sandbox can take")
        .contains(";secret:master-key-of-the-instance;")
        .doesNotContain(";server:none;");

    String confined =
        new ExternalSource(launch.withSandbox(sandbox), Duration.ofSeconds(30), TestEgress.LOCAL)
            .spec()
            .documentationUrl();
    assertThat(confined).contains(";secret:none;server:none;");
    String directory = confined.substring(confined.indexOf("cwd:") + 4, confined.indexOf(";home:"));
    assertThat(Path.of(directory).getFileName().toString()).startsWith("run-");
    assertThat(Path.of(directory).getParent().getFileName().toString())
        .startsWith("tributary-connectors-");
    assertThat(Path.of(directory)).as("removed when the connector ended").doesNotExist();
    assertThat(key).as("the hidden file is still there for the server").exists();
    assertThat(Sandbox.bubblewrap("bwrap", List.of(Path.of("/"))))
        .as("a home of / (a container user without a passwd entry) does not hide the system")
        .isPresent();
  }

  @Test
  void closingAReadEndsTheConnectorAndEveryProcessItStarted() {
    var source =
        new ExternalSource(
            ConnectorLaunch.of(List.of("bash", SCRIPT)), Duration.ofSeconds(30), TestEgress.LOCAL);
    var stream =
        new AirbyteStream(
            "numbers",
            null,
            JsonNodeFactory.instance
                .objectNode()
                .put("type", "object")
                .set(
                    "properties",
                    JsonNodeFactory.instance
                        .objectNode()
                        .set("id", JsonNodeFactory.instance.objectNode().put("type", "integer"))),
            List.of(SyncMode.FULL_REFRESH),
            null,
            null,
            null,
            null);
    var configured =
        new ConfiguredAirbyteStream(
            stream, SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND, null, null);
    List<ProcessHandle> started;
    try (StreamReader reader =
        source.read(JsonNodeFactory.instance.objectNode(), configured, context(null))) {
      await("the connector and its child")
          .atMost(Duration.ofSeconds(10))
          .until(() -> connectorProcesses().size() >= 2);
      started = connectorProcesses();
    }
    await("every process of the connector gone")
        .atMost(Duration.ofSeconds(15))
        .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(Files.exists(Path.of("/proc/" + started.getFirst().pid()))).isFalse();
  }

  private static List<ProcessHandle> connectorProcesses() {
    return ProcessHandle.current()
        .descendants()
        .filter(
            p -> {
              String line = p.info().commandLine().orElse("");
              return line.contains("nosy-connector.sh") || line.contains("sleep 300");
            })
        .toList();
  }
}
