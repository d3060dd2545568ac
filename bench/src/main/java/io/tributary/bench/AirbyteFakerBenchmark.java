package io.tributary.bench;

import static io.tributary.bench.PostgresCopyBenchmark.append;
import static io.tributary.bench.PostgresCopyBenchmark.arg;
import static io.tributary.bench.PostgresCopyBenchmark.config;
import static io.tributary.bench.PostgresCopyBenchmark.format;
import static io.tributary.bench.PostgresCopyBenchmark.intArg;
import static io.tributary.bench.PostgresCopyBenchmark.median;
import static io.tributary.bench.PostgresCopyBenchmark.queryLong;
import static io.tributary.bench.PostgresCopyBenchmark.recreate;

import io.tributary.connector.WriteTarget;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.external.ConnectorLaunch;
import io.tributary.connectors.external.ExternalSource;
import io.tributary.connectors.postgres.PostgresDestination;
import io.tributary.connectors.python.PythonEnvironments;
import io.tributary.engine.MemoryStateStore;
import io.tributary.engine.StreamPlan;
import io.tributary.engine.SyncEngine;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteCatalog;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Airbyte's {@code source-faker}, the real package from PyPI, emitting about N records (users and
 * purchases, plus 100 products), three ways, alternating on one machine: through Tributary's engine
 * into PostgreSQL (what a sync job runs: the connector process, the protocol parsed into batches,
 * PostgreSQL's binary COPY, state checkpoints); the connector's own {@code read} into /dev/null,
 * its speed limit; and PyAirbyte reading the same connector into its default DuckDB cache.
 */
public final class AirbyteFakerBenchmark {

  static final String FAKER = "airbyte-source-faker";
  static final String FAKER_VERSION = "7.2.1";
  static final String PYAIRBYTE = "airbyte";
  static final String PYAIRBYTE_VERSION = "0.71.3";
  private static final String DATABASE = "bench_faker";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final EgressPolicy LOCAL_EGRESS =
      EgressPolicy.builder().localInstance(true).build();

  private static final String PYAIRBYTE_READ =
      """
      import json, sys
      import airbyte as ab
      config = json.load(open(sys.argv[1]))
      source = ab.get_source("source-faker", config=config, local_executable=sys.argv[2])
      source.select_all_streams()
      result = source.read(cache=ab.get_default_cache())
      print({name: len(dataset) for name, dataset in result.streams.items()})
      """;

  public static void main(String[] args) throws Exception {
    int records = intArg(args, "--records", 1_000_000);
    int runs = intArg(args, "--runs", 1);
    Path docs = Path.of(arg(args, "--docs", "docs/benchmarks.md"));
    String command = arg(args, "--command", "bench/run airbyte-faker");
    Path work = Path.of(arg(args, "--work", "bench/target/airbyte-faker")).toAbsolutePath();
    String host = System.getenv().getOrDefault("TRIBUTARY_BENCH_HOST", "127.0.0.1");
    int port = Integer.parseInt(System.getenv().getOrDefault("TRIBUTARY_BENCH_PORT", "5432"));
    Files.createDirectories(work);

    var python = new PythonEnvironments(work.resolve("python"), "python3", Duration.ofMinutes(30));
    System.out.println("Installing " + FAKER + "==" + FAKER_VERSION + " and PyAirbyte...");
    Path faker = python.install(FAKER, FAKER_VERSION, null, line -> {}).executable();
    Path pyairbyte =
        python.install(PYAIRBYTE, PYAIRBYTE_VERSION, "python", line -> {}).executable();

    // users and purchases, count of each, plus the 100 products
    ObjectNode fakerConfig =
        JsonNodeFactory.instance
            .objectNode()
            .put("count", (records - 100) / 2)
            .put("seed", 1)
            .put("parallelism", Runtime.getRuntime().availableProcessors())
            .put("always_updated", false);
    var source =
        new ExternalSource(
            ConnectorLaunch.of(List.of(faker.toString())), Duration.ofMinutes(5), LOCAL_EGRESS);
    List<AirbyteStream> streams = source.discover(fakerConfig).streams();
    List<ConfiguredAirbyteStream> configured =
        streams.stream()
            .map(
                s ->
                    new ConfiguredAirbyteStream(
                        s, SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE, null, null))
            .toList();
    Path configFile = work.resolve("config.json");
    Path catalogFile = work.resolve("catalog.json");
    Files.write(configFile, JSON.writeValueAsBytes(fakerConfig));
    Files.write(catalogFile, JSON.writeValueAsBytes(new ConfiguredAirbyteCatalog(configured)));
    Path script = work.resolve("pyairbyte_read.py");
    Files.writeString(script, PYAIRBYTE_READ);

    List<Double> alone = new ArrayList<>();
    List<Double> tributary = new ArrayList<>();
    List<Double> pyAirbyte = new ArrayList<>();
    long landed = 0;
    for (int run = 0; run < runs; run++) {
      alone.add(
          timed(
              new ProcessBuilder(
                      faker.toString(),
                      "read",
                      "--config",
                      configFile.toString(),
                      "--catalog",
                      catalogFile.toString())
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .redirectError(ProcessBuilder.Redirect.DISCARD)));
      landed = 0;
      recreate(host, port, DATABASE);
      long start = System.nanoTime();
      engine(source, fakerConfig, configured, config(host, port, DATABASE));
      tributary.add((System.nanoTime() - start) / 1e9);
      for (AirbyteStream stream : streams) {
        landed += queryLong(host, port, DATABASE, "select count(*) from faker." + stream.name());
      }
      Path cache = work.resolve("pyairbyte-run");
      deleteTree(cache);
      Files.createDirectories(cache);
      ProcessBuilder pyab =
          new ProcessBuilder(
                  pyairbyte.toString(), script.toString(), configFile.toString(), faker.toString())
              .directory(cache.toFile())
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      pyab.environment().put("AIRBYTE_OFFLINE_MODE", "1");
      pyab.environment().put("DO_NOT_TRACK", "1");
      pyab.environment().put("HOME", cache.toString());
      pyAirbyte.add(timed(pyab));
      System.out.printf(
          "run %d: connector alone %.1fs, tributary %.1fs (%,d rows in PostgreSQL), PyAirbyte %.1fs%n",
          run + 1, alone.getLast(), tributary.getLast(), landed, pyAirbyte.getLast());
    }
    double aloneMedian = median(alone);
    double tributaryMedian = median(tributary);
    double pyAirbyteMedian = median(pyAirbyte);
    append(
        docs,
        """

        ## Airbyte's source-faker from PyPI → PostgreSQL (%s)

        `%s` — %s==%s (the real package, in its own virtual environment), %,d records (%,d users,
        %,d purchases, 100 products; `parallelism` %d), %d alternating run(s) on one machine (%d cores) that
        also runs PostgreSQL.

        | | median time | records/s |
        |---|---|---|
        | the connector alone: `source-faker read > /dev/null` | %.1f s | %,.0f |
        | Tributary: SyncEngine, the connector as a child process, into PostgreSQL (full_refresh + overwrite) | %.1f s | %,.0f |
        | PyAirbyte %s: `source.read()` into its default DuckDB cache | %.1f s | %,.0f |

        **Tributary ÷ the connector alone: %.2f×; Tributary ÷ PyAirbyte: %.2f×.** Tributary reads each stream
        with a process of its own, so the streams' Python work runs side by side; the connector alone and
        PyAirbyte run one process. All runs: alone %s s; Tributary %s s; PyAirbyte %s s.
        """
            .formatted(
                OffsetDateTime.now(ZoneOffset.UTC).toLocalDate(),
                command,
                FAKER,
                FAKER_VERSION,
                landed,
                (records - 100) / 2,
                (records - 100) / 2,
                Runtime.getRuntime().availableProcessors(),
                runs,
                Runtime.getRuntime().availableProcessors(),
                aloneMedian,
                landed / aloneMedian,
                tributaryMedian,
                landed / tributaryMedian,
                PYAIRBYTE_VERSION,
                pyAirbyteMedian,
                landed / pyAirbyteMedian,
                tributaryMedian / aloneMedian,
                tributaryMedian / pyAirbyteMedian,
                format(alone),
                format(tributary),
                format(pyAirbyte)));
  }

  private static void engine(
      ExternalSource source,
      ObjectNode sourceConfig,
      List<ConfiguredAirbyteStream> streams,
      ObjectNode destinationConfig) {
    SyncEngine.Builder engine =
        SyncEngine.builder()
            .source(source, sourceConfig)
            .destination(new PostgresDestination(LOCAL_EGRESS), destinationConfig)
            .states(new MemoryStateStore());
    for (ConfiguredAirbyteStream stream : streams) {
      engine.stream(
          new StreamPlan(
              stream,
              new WriteTarget(
                  "faker",
                  stream.stream().name(),
                  StreamSchema.fields(stream.stream().jsonSchema()),
                  DestinationSyncMode.OVERWRITE,
                  List.of(),
                  List.of(),
                  "bench/" + stream.stream().name())));
    }
    engine.build().run();
  }

  private static double timed(ProcessBuilder process) throws Exception {
    long start = System.nanoTime();
    int exit = process.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(process.command() + " failed with exit code " + exit);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void deleteTree(Path directory) throws java.io.IOException {
    if (Files.exists(directory)) {
      try (var all = Files.walk(directory)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
