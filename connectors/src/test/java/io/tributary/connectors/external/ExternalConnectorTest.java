package io.tributary.connectors.external;

import static io.tributary.connector.contract.SourceContract.context;
import static io.tributary.connector.contract.SourceContract.full;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tributary.connector.CallDeadline;
import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connector.StreamReader;
import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.Pipe;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The stdio adapter against a real child process that speaks the Airbyte protocol. */
class ExternalConnectorTest {

  static final List<String> COMMAND =
      List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp",
          System.getProperty("java.class.path"),
          TestProtocolConnector.class.getName());

  private final ExternalSource source =
      new ExternalSource(COMMAND, Duration.ofSeconds(30), TestEgress.LOCAL);
  private final ExternalDestination destination =
      new ExternalDestination(COMMAND, Duration.ofSeconds(30), TestEgress.LOCAL);

  @TempDir Path directory;

  private static ObjectNode config() {
    return JsonNodeFactory.instance.objectNode().put("count", 25);
  }

  @Test
  void specCheckAndDiscoverSpeakTheProtocol() {
    assertThat(source.spec().connectionSpecification().path("properties").has("count")).isTrue();
    assertThat(source.check(config()).ok()).isTrue();
    var failed = source.check(config().put("fail", true));
    assertThat(failed.ok()).isFalse();
    assertThat(failed.message()).isEqualTo("count must be positive");
    AirbyteStream numbers = source.discover(config()).stream("numbers").orElseThrow();
    assertThat(numbers.sourceDefinedPrimaryKey()).containsExactly(List.of("id"));
  }

  @Test
  void aFailedChecksMessageDoesNotShowTheConfigurationsSecrets() {
    String secret = "key-7d1e94b0c2";
    var status = source.check(config().put("api_key", secret));
    assertThat(status.ok()).isFalse();
    assertThat(status.message())
        .isEqualTo(
            "401 Client Error: Unauthorized for url: https://api.example.com/v1?api_key=**********");
  }

  @Test
  void readBatchesEndAtStateMessagesAndResume() {
    AirbyteStream numbers = source.discover(config()).stream("numbers").orElseThrow();
    var incremental =
        new ConfiguredAirbyteStream(
            numbers, SyncMode.INCREMENTAL, DestinationSyncMode.APPEND, List.of("id"), null);
    int total = 0;
    JsonNode state;
    try (StreamReader reader = source.read(config(), incremental, context(null))) {
      RecordBatch first = reader.next();
      assertThat(first.size()).isEqualTo(10);
      assertThat(reader.state().path("cursor").asInt()).isEqualTo(10);
      total += first.size();
      for (RecordBatch batch = reader.next(); batch != null; batch = reader.next()) {
        total += batch.size();
      }
      state = reader.state();
    }
    assertThat(total).isEqualTo(25);
    assertThat(state.path("cursor").asInt()).isEqualTo(25);

    try (StreamReader resumed =
        source.read(config().put("count", 32), incremental, context(state))) {
      RecordBatch batch = resumed.next();
      assertThat(batch.records().getFirst()[0]).isEqualTo(26L);
    }
  }

  @Test
  void aGlobalStateIsKeptWholeAndTheConnectorsEstimateAndLogsReachTheRuntime() {
    AirbyteStream numbers = source.discover(config()).stream("numbers").orElseThrow();
    var incremental =
        new ConfiguredAirbyteStream(
            numbers, SyncMode.INCREMENTAL, DestinationSyncMode.APPEND, List.of("id"), null);
    List<String> heard = new ArrayList<>();
    JsonNode state;
    try (StreamReader reader =
        source.read(config().put("global", true), incremental, context(null, heard::add))) {
      while (reader.next() != null) {
        // to the end
      }
      state = reader.state();
    }
    assertThat(state.path("airbyte_state_message").path("type").asString()).isEqualTo("GLOBAL");
    assertThat(
            state
                .path("airbyte_state_message")
                .path("global")
                .path("shared_state")
                .path("lsn")
                .asInt())
        .isEqualTo(25);
    assertThat(heard).contains("estimate 25", "INFO reading numbers");

    try (StreamReader resumed =
        source.read(
            config().put("global", true).put("count", 32),
            incremental,
            context(state, heard::add))) {
      assertThat(resumed.next().records().getFirst()[0])
          .as("the GLOBAL state went back as it came")
          .isEqualTo(26L);
    }
  }

  @Test
  void aLogMessageStaysOneLineInTheLog() {
    AirbyteStream numbers = source.discover(config()).stream("numbers").orElseThrow();
    List<String> heard = new ArrayList<>();
    try (StreamReader reader =
        source.read(
            config().put("multiline_log", true), full(numbers), context(null, heard::add))) {
      while (reader.next() != null) {
        // to the end
      }
    }
    assertThat(heard)
        .contains("WARN retrying\\r\\n[engine] INFO sync succeeded")
        .noneMatch(line -> line.contains("\n") || line.contains("\r"));
  }

  @Test
  void aMessageLongerThanTheBoundFailsTheRunInsteadOfFillingTheHeap() {
    long length = (long) ConnectorProcess.MAX_MESSAGE_CHARS + (1 << 20);
    var launch =
        ConnectorLaunch.of(
            List.of(
                "bash",
                "-c",
                "[ \"$1\" = spec ] && exit 1; head -c " + length + " /dev/zero | tr '\\0' a",
                "endless-line-connector"));
    var status =
        new ExternalSource(launch, Duration.ofSeconds(60), TestEgress.LOCAL).check(config());
    assertThat(status.ok()).isFalse();
    assertThat(status.message())
        .isEqualTo(
            "endless-line-connector check: a message from the connector is longer than 64 MiB");
  }

  /** Reads the numbers stream in full with {@code config} to the end, where the connector fails. */
  private ConnectorException failureOfAFullRead(ObjectNode config) {
    AirbyteStream numbers = source.discover(config()).stream("numbers").orElseThrow();
    var full = full(numbers);
    try (StreamReader reader = source.read(config, full, context(null))) {
      return catchThrowableOfType(
          ConnectorException.class,
          () -> {
            while (reader.next() != null) {
              // read to the failure
            }
          });
    }
  }

  @Test
  void connectorErrorsCarryTheirFailureType() {
    ConnectorException e = failureOfAFullRead(config().put("fail_at_end", true));
    assertThat(e).isNotNull();
    assertThat(e.failureType()).isEqualTo(FailureType.TRANSIENT_ERROR);
    assertThat(e.getMessage()).isEqualTo("quota exhausted");
  }

  @Test
  void aConnectorThatDiesSaysWhyInItsOwnWordsWithoutItsSecrets() {
    String secret = "tok-4f9c2e7a1b";
    ConnectorException crashed =
        failureOfAFullRead(config().put("crash_at_end", true).put("api_token", secret));
    assertThat(crashed).isNotNull();
    // its last error log is the reason; the traceback is the output the job log shows
    assertThat(crashed.getMessage())
        .contains("exit code 1")
        .contains("login as ********** refused")
        .doesNotContain(secret);
    assertThat(crashed.output())
        .contains(
            "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: "
                + "https://api.example.com/numbers",
            "starting read");
    assertThat(String.join("\n", crashed.output()))
        .doesNotContain(secret)
        .contains("'Authorization': '**********'");

    ConnectorException died =
        failureOfAFullRead(config().put("die_at_end", true).put("api_token", secret));
    assertThat(died).isNotNull();
    // no error log: the last line it printed says why
    assertThat(died.getMessage())
        .endsWith("(exit code 139): Segmentation fault in the ********** parser");
  }

  @Test
  void aHangingConnectorTimesOutAndIsStopped() {
    var impatient = new ExternalSource(COMMAND, Duration.ofSeconds(2), TestEgress.LOCAL);
    long start = System.nanoTime();
    var status = impatient.check(config().put("hang", true));
    assertThat(status.ok()).isFalse();
    assertThat(status.message()).contains("did not answer within 2 seconds");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aHangingCheckIsStoppedWhenItsCallerStopsWaitingNotAtItsOwnTimeout() {
    var patient = new ExternalSource(COMMAND, Duration.ofMinutes(5), TestEgress.LOCAL);
    long start = System.nanoTime();
    var status =
        CallDeadline.within(Duration.ofSeconds(2), () -> patient.check(config().put("hang", true)));
    assertThat(status.ok()).isFalse();
    assertThat(status.message()).contains("did not answer before its caller stopped waiting");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(patient.check(config()).ok()).as("the deadline ended with its call").isTrue();
  }

  @Test
  void aSilentReadEndsAtOnceWhenAbortedFromAnotherThread() throws Exception {
    AirbyteStream numbers = source.discover(config()).stream("numbers").orElseThrow();
    var full =
        new ConfiguredAirbyteStream(
            numbers, SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE, null, null);
    try (StreamReader reader = source.read(config().put("hang", true), full, context(null))) {
      var next = java.util.concurrent.CompletableFuture.supplyAsync(reader::next);
      Thread.onSpinWait();
      assertThat(next).as("the connector prints nothing").isNotDone();
      long start = System.nanoTime();
      reader.abort();
      assertThat(next)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause()
          .isInstanceOf(io.tributary.connector.ConnectorException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void recordsFlowIntoAnExternalDestinationWhichEchoesCommits() throws Exception {
    AirbyteStream numbers = source.discover(config()).stream("numbers").orElseThrow();
    var full = full(numbers);
    Path output = directory.resolve("received.jsonl");
    WriteTarget target =
        new WriteTarget(
            null,
            "numbers",
            StreamSchema.fields(numbers.jsonSchema()),
            DestinationSyncMode.APPEND,
            List.of(),
            List.of(),
            "external/numbers");
    long written =
        Pipe.run(
            source,
            config(),
            full,
            destination,
            JsonNodeFactory.instance.objectNode().put("output", output.toString()),
            target,
            1,
            -1);
    assertThat(written).isEqualTo(25);
    List<String> lines = Files.readAllLines(output);
    assertThat(lines).hasSize(25);
    assertThat(lines.getFirst()).isEqualTo("{\"id\":1,\"label\":\"n1\"}");
  }
}
