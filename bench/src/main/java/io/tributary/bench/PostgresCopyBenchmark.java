package io.tributary.bench;

import io.tributary.connector.ReadContext;
import io.tributary.connector.StreamReader;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.jdbc.ParallelCopy;
import io.tributary.connectors.postgres.PostgresDestination;
import io.tributary.connectors.postgres.PostgresSource;
import io.tributary.engine.MemoryStateStore;
import io.tributary.engine.StreamPlan;
import io.tributary.engine.SyncEngine;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A full PostgreSQL to PostgreSQL copy of an N-row, 10-column table: Tributary's connectors (reader
 * and writer on two threads joined by a bounded queue), or with {@code --through engine} the whole
 * SyncEngine, against {@code psql COPY TO STDOUT | psql COPY FROM STDIN} on the same table,
 * alternating, on the same machine. Reports the median of each and their ratio.
 */
public final class PostgresCopyBenchmark {

  private static final String TABLE = "bench_rows";

  /**
   * The benchmark's databases run on this machine, where the operator running it is the only user.
   */
  private static final EgressPolicy LOCAL_EGRESS =
      EgressPolicy.builder().localInstance(true).build();

  public static void main(String[] args) throws Exception {
    int rows = intArg(args, "--rows", 1_000_000);
    int runs = intArg(args, "--runs", 3);
    Path docs = Path.of(arg(args, "--docs", "docs/benchmarks.md"));
    String command = arg(args, "--command", "bench/run postgres-copy");
    boolean throughEngine = arg(args, "--through", "connectors").equals("engine");
    String host = System.getenv().getOrDefault("TRIBUTARY_BENCH_HOST", "127.0.0.1");
    int port = Integer.parseInt(System.getenv().getOrDefault("TRIBUTARY_BENCH_PORT", "5432"));

    String sourceDb = "bench_src";
    String targetDb = "bench_dst";
    recreate(host, port, sourceDb);
    recreate(host, port, targetDb);
    System.out.printf("Loading %,d rows...%n", rows);
    exec(
        host,
        port,
        sourceDb,
        """
        create table %s (id bigint primary key, account_id int not null, amount numeric(12,2), ratio double precision,
          active boolean, name text, email varchar(120), born date, updated_at timestamptz, note text);
        insert into %s select n, n %% 10000, (n %% 100000) / 100.0, n / 7.0, n %% 2 = 0, 'customer ' || n,
          'user' || n || '@example.com', date '1970-01-01' + (n %% 20000), timestamptz '2024-01-01' + n * interval '1 second',
          case when n %% 10 = 0 then null else md5(n::text) end
        from generate_series(1, %d) n;
        analyze %s;"""
            .formatted(TABLE, TABLE, rows, TABLE));
    long bytes = queryLong(host, port, sourceDb, "select pg_total_relation_size('" + TABLE + "')");

    // --parallelism 1,4 times each setting of tributary.copy.parallelism in the same runs,
    // alternating with the pipe; without it, the setting the JVM was started with
    List<Integer> settings =
        Arrays.stream(arg(args, "--parallelism", "").split(","))
            .filter(v -> !v.isBlank())
            .map(v -> Integer.parseInt(v.trim()))
            .toList();
    List<Double> pipe = new ArrayList<>();
    List<List<Double>> tributary = new ArrayList<>();
    List<Long> peakHeaps = new ArrayList<>();
    int variants = Math.max(1, settings.size());
    for (int v = 0; v < variants; v++) {
      tributary.add(new ArrayList<>());
      peakHeaps.add(0L);
    }
    for (int run = 0; run < runs; run++) {
      pipe.add(psqlPipe(host, port, sourceDb, targetDb, rows));
      StringBuilder line = new StringBuilder();
      for (int v = 0; v < variants; v++) {
        if (!settings.isEmpty()) {
          System.setProperty("tributary.copy.parallelism", settings.get(v).toString());
        }
        resetPeaks();
        tributary
            .get(v)
            .add(
                throughEngine
                    ? engine(host, port, sourceDb, targetDb, rows)
                    : connectors(host, port, sourceDb, targetDb, rows));
        peakHeaps.set(v, Math.max(peakHeaps.get(v), peakHeap()));
        line.append(
            String.format(
                Locale.ROOT, ", tributary (%s) %.2fs", parallelism(), tributary.get(v).getLast()));
      }
      System.out.printf("run %d: psql pipe %.2fs%s%n", run + 1, pipe.getLast(), line);
    }
    double pipeMedian = median(pipe);
    StringBuilder rowsTable = new StringBuilder();
    StringBuilder ratios = new StringBuilder();
    StringBuilder all = new StringBuilder();
    long peakHeap = 0;
    for (int v = 0; v < variants; v++) {
      if (!settings.isEmpty()) {
        System.setProperty("tributary.copy.parallelism", settings.get(v).toString());
      }
      double median = median(tributary.get(v));
      String label =
          throughEngine
              ? "Tributary SyncEngine (full_refresh + overwrite: staging table, commits with state, atomic swap; "
                  + parallelism()
                  + ")"
              : "Tributary connectors (PostgresSource → PostgresDestination, 2 threads)";
      rowsTable.append(
          String.format(Locale.ROOT, "| %s | %.2f s | %,.0f |%n", label, median, rows / median));
      ratios.append(
          String.format(
              Locale.ROOT,
              "%s%s: %.2f×",
              v == 0 ? "" : "; ",
              variants > 1 ? parallelism() : "Tributary ÷ pipe",
              median / pipeMedian));
      all.append("; Tributary ")
          .append(variants > 1 ? "(" + parallelism() + ") " : "")
          .append(format(tributary.get(v)))
          .append(" s");
      peakHeap = Math.max(peakHeap, peakHeaps.get(v));
    }
    if (variants > 1) {
      double first = median(tributary.getFirst());
      for (int v = 1; v < variants; v++) {
        ratios.append(
            String.format(
                Locale.ROOT,
                "; parallelism %d ÷ %d: %.2f×",
                settings.get(v),
                settings.getFirst(),
                median(tributary.get(v)) / first));
      }
      ratios.insert(0, "Each ÷ pipe: ");
    }
    String result =
        """

        ## PostgreSQL → PostgreSQL, %s (%s)

        `%s` — %,d rows × 10 columns (bigint, int, numeric(12,2), double, boolean, text, varchar, date, timestamptz,
        nullable text; %s on disk), %d alternating runs on one machine (%d cores), same PostgreSQL server for both sides.

        | | median time | rows/s |
        |---|---|---|
        | `psql -c "COPY … TO STDOUT" \\| psql -c "COPY … FROM STDIN"` | %.2f s | %,.0f |
        %s

        **%s.** The JVM ran in a %d MiB heap (-Xmx; the sum of the heap pools' peaks, which overstates, was %d MiB). All runs: pipe %s s%s.
        Both sides share the machine's 2 cores with the PostgreSQL server.
        """
            .formatted(
                throughEngine ? "full sync through the engine" : "connectors only",
                OffsetDateTime.now(ZoneOffset.UTC).toLocalDate(),
                command,
                rows,
                human(bytes),
                runs,
                Runtime.getRuntime().availableProcessors(),
                pipeMedian,
                rows / pipeMedian,
                rowsTable.toString().stripTrailing(),
                ratios,
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                peakHeap / (1024 * 1024),
                format(pipe),
                all);
    System.out.println(result);
    append(docs, result);
  }

  private static double psqlPipe(String host, int port, String source, String target, int rows)
      throws Exception {
    exec(
        host,
        port,
        target,
        "drop table if exists "
            + TABLE
            + "; create table "
            + TABLE
            + " (id bigint, account_id int, amount numeric(12,2), ratio double precision, active boolean, name text,"
            + " email varchar(120), born date, updated_at timestamptz, note text)");
    String psql = "psql -X -q -h " + host + " -p " + port + " -U postgres ";
    String pipe =
        psql
            + "-d "
            + source
            + " -c \"COPY "
            + TABLE
            + " TO STDOUT\" | "
            + psql
            + "-d "
            + target
            + " -c \"COPY "
            + TABLE
            + " FROM STDIN\"";
    long start = System.nanoTime();
    Process process = new ProcessBuilder("bash", "-o", "pipefail", "-c", pipe).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("psql pipe failed");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    check(host, port, target, "public." + TABLE, rows);
    return seconds;
  }

  private static double connectors(String host, int port, String source, String target, int rows)
      throws Exception {
    ObjectNode from = config(host, port, source);
    ObjectNode to = config(host, port, target);
    PostgresSource postgres = new PostgresSource(LOCAL_EGRESS);
    AirbyteStream stream = clearTargetAndDiscover(postgres, from, host, port, target);
    var configured =
        new ConfiguredAirbyteStream(
            stream, SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND, null, null);
    WriteTarget writeTarget =
        new WriteTarget(
            "tributary",
            TABLE,
            StreamSchema.fields(stream.jsonSchema()),
            DestinationSyncMode.APPEND,
            List.of(),
            List.of(),
            "bench/" + TABLE);
    BlockingQueue<RecordBatch> queue = new ArrayBlockingQueue<>(8);
    RecordBatch end = new RecordBatch(List.of(), 0);
    long start = System.nanoTime();
    CompletableFuture<Void> reading =
        CompletableFuture.runAsync(
            () -> {
              try (StreamReader reader = postgres.read(from, configured, context())) {
                for (RecordBatch batch = reader.next(); batch != null; batch = reader.next()) {
                  queue.put(batch);
                }
                queue.put(end);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    try (StreamWriter writer = new PostgresDestination(LOCAL_EGRESS).open(to, writeTarget)) {
      for (RecordBatch batch = queue.take(); batch != end; batch = queue.take()) {
        writer.write(batch);
      }
      writer.commit(null);
      writer.complete();
    }
    reading.join();
    double seconds = (System.nanoTime() - start) / 1e9;
    check(host, port, target, "tributary." + TABLE, rows);
    return seconds;
  }

  /**
   * The whole sync path a job takes: engine threads, byte-bounded buffer, checkpoints, overwrite
   * swap.
   */
  private static double engine(String host, int port, String source, String target, int rows)
      throws Exception {
    ObjectNode from = config(host, port, source);
    ObjectNode to = config(host, port, target);
    PostgresSource postgres = new PostgresSource(LOCAL_EGRESS);
    AirbyteStream stream = clearTargetAndDiscover(postgres, from, host, port, target);
    var plan =
        new StreamPlan(
            new ConfiguredAirbyteStream(
                stream, SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE, null, null),
            new WriteTarget(
                "tributary",
                TABLE,
                StreamSchema.fields(stream.jsonSchema()),
                DestinationSyncMode.OVERWRITE,
                List.of(),
                List.of(),
                "bench/" + TABLE));
    long start = System.nanoTime();
    SyncEngine.builder()
        .source(postgres, from)
        .destination(new PostgresDestination(LOCAL_EGRESS), to)
        .stream(plan)
        .states(new MemoryStateStore())
        .build()
        .run();
    double seconds = (System.nanoTime() - start) / 1e9;
    check(host, port, target, "tributary." + TABLE, rows);
    return seconds;
  }

  private static ReadContext context() {
    return new ReadContext() {
      @Override
      public JsonNode state() {
        return null;
      }

      @Override
      public int batchSize() {
        return 5_000;
      }

      @Override
      public boolean cancelled() {
        return false;
      }
    };
  }

  /** Drops what an earlier run loaded into {@code target}; returns the source table's stream. */
  private static AirbyteStream clearTargetAndDiscover(
      PostgresSource postgres, ObjectNode from, String host, int port, String target)
      throws SQLException {
    exec(
        host,
        port,
        target,
        "drop schema if exists tributary cascade; drop schema if exists _tributary cascade");
    return postgres.discover(from).stream(TABLE).orElseThrow();
  }

  static ObjectNode config(String host, int port, String database) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config
        .put("host", host)
        .put("port", port)
        .put("database", database)
        .put("username", "postgres")
        .put("password", "");
    config.putObject("ssl_mode").put("mode", "disable");
    return config;
  }

  static void check(String host, int port, String database, String table, int rows)
      throws SQLException {
    long count = queryLong(host, port, database, "select count(*) from " + table);
    if (count != rows) {
      throw new IllegalStateException(table + " holds " + count + " rows, expected " + rows);
    }
  }

  static void recreate(String host, int port, String database) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(host, port, "postgres"), "postgres", "");
        var s = c.createStatement()) {
      s.execute("drop database if exists " + database + " with (force)");
      s.execute("create database " + database);
    }
  }

  static void exec(String host, int port, String database, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(host, port, database), "postgres", "");
        var s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static long queryLong(String host, int port, String database, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(host, port, database), "postgres", "");
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String url(String host, int port, String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  static long peakHeap() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP)
        .mapToLong(pool -> pool.getPeakUsage().getUsed())
        .sum();
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted.length % 2 == 1
        ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  static String format(List<Double> values) {
    return String.join(
        ", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
  }

  private static String human(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
  }

  static void append(Path docs, String section) throws IOException {
    Files.createDirectories(docs.toAbsolutePath().getParent());
    if (!Files.exists(docs)) {
      Files.writeString(
          docs,
          "# Benchmarks\n\nEach section is written by the command it names; rerun it to reproduce. "
              + "Ratios matter more than absolute times: these machines are shared and noisy.\n");
    }
    Files.writeString(docs, section, java.nio.file.StandardOpenOption.APPEND);
  }

  /** How the engine split the copy, as the connectors' settings say (-Dtributary.copy.*). */
  private static String parallelism() {
    ParallelCopy settings = ParallelCopy.current();
    return settings.readers() < 2
        ? "sequential: one reader, one COPY"
        : "up to " + settings.readers() + " key ranges read and copied in parallel";
  }

  static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(arg(args, name, Integer.toString(fallback)));
  }

  static String arg(String[] args, String name, String fallback) {
    int index = Arrays.asList(args).indexOf(name);
    return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
  }
}
