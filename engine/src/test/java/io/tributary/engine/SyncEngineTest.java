package io.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connector.ForwardingDestination;
import io.tributary.connector.ForwardingStreamWriter;
import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.external.ExternalDestination;
import io.tributary.connectors.external.ExternalSource;
import io.tributary.connectors.external.TestProtocolConnector;
import io.tributary.connectors.faker.FakerSource;
import io.tributary.connectors.postgres.PostgresDestination;
import io.tributary.connectors.postgres.PostgresSource;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class SyncEngineTest {

  private static ObjectNode faker(int count) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("count", count)
        .put("seed", 7)
        .put("always_updated", false);
  }

  private static List<StreamPlan> plans(
      FakerSource source, ObjectNode config, String namespace, SyncMode mode) {
    return source.discover(config).streams().stream().map(s -> plan(s, namespace, mode)).toList();
  }

  private static StreamPlan plan(AirbyteStream s, String namespace, SyncMode mode) {
    DestinationSyncMode destinationMode =
        mode == SyncMode.INCREMENTAL
            ? DestinationSyncMode.APPEND_DEDUP
            : DestinationSyncMode.OVERWRITE;
    List<List<String>> key = mode == SyncMode.INCREMENTAL ? List.of(List.of("id")) : List.of();
    List<String> cursor = mode == SyncMode.INCREMENTAL ? List.of("updated_at") : List.of();
    return new StreamPlan(
        new ConfiguredAirbyteStream(s, mode, destinationMode, cursor, key),
        new WriteTarget(
            namespace,
            s.name(),
            StreamSchema.fields(s.jsonSchema()),
            destinationMode,
            key,
            cursor,
            "engine/" + s.name()));
  }

  /** An incremental sync of 2,000 faker records of each stream into {@code to}'s sample schema. */
  private static SyncEngine.Builder sampleSync(
      FakerSource faker, ObjectNode to, MemoryStateStore states) {
    return SyncEngine.builder()
        .source(faker, faker(2_000))
        .destination(new PostgresDestination(TestEgress.LOCAL), to)
        .streams(plans(faker, faker(2_000), "sample", SyncMode.INCREMENTAL))
        .states(states);
  }

  @Test
  void streamsRunInParallelAndEveryRecordIsCommittedWithItsState() throws SQLException {
    FakerSource faker = new FakerSource();
    ObjectNode to = TestPostgres.newDatabase();
    MemoryStateStore states = new MemoryStateStore();
    AtomicLong committed = new AtomicLong();
    var engine =
        sampleSync(faker, to, states)
            .commitPolicy(new CommitPolicy(700, Duration.ofMinutes(1)))
            .bufferBytes(256 * 1024)
            .batchSize(250)
            .listener(
                new SyncListener() {
                  @Override
                  public void committed(String stream, long records, long bytes) {
                    committed.addAndGet(records);
                  }
                })
            .build();
    List<StreamStats> stats = engine.run();

    assertThat(stats)
        .extracting(StreamStats::stream)
        .containsExactly("users", "products", "purchases");
    long users = count(to, "sample.users");
    assertThat(users).isEqualTo(2_000);
    assertThat(stats.getFirst().recordsCommitted()).isEqualTo(2_000);
    assertThat(committed.get())
        .isEqualTo(stats.stream().mapToLong(StreamStats::recordsCommitted).sum());
    assertThat(states.states()).containsKeys("engine/users", "engine/products", "engine/purchases");

    // A second sync of the same data resumes after the cursor and changes nothing.
    var again = sampleSync(faker, to, states).build().run();
    assertThat(count(to, "sample.users")).isEqualTo(2_000);
    assertThat(again.getFirst().recordsCommitted()).isLessThan(2_000);
  }

  @Test
  void aDestinationMovedToAnotherDatabaseGetsEveryRecordNotOnlyTheNewOnes() throws SQLException {
    FakerSource faker = new FakerSource();
    ObjectNode before = TestPostgres.newDatabase();
    MemoryStateStore states = new MemoryStateStore();
    sampleSync(faker, before, states).build().run();
    assertThat(states.states()).containsKey("engine/users");

    // the operator points the template's destination at another database: it holds no state, and
    // the copy stored beside the connection says how far the old one is
    ObjectNode after = TestPostgres.newDatabase();
    sampleSync(faker, after, states).build().run();
    assertThat(count(after, "sample.users")).isEqualTo(2_000);
  }

  @Test
  void aFullRefreshThatCannotResumeStartsAfreshAfterAFailedAttempt() throws SQLException {
    FakerSource faker = new FakerSource();
    ObjectNode to = TestPostgres.newDatabase();
    MemoryStateStore states = new MemoryStateStore();
    ObjectNode config = faker(1_000);
    // the faker's state names the last record it generated, but a full refresh generates all again
    StreamPlan users = plans(faker, config, "refreshed", SyncMode.FULL_REFRESH).getFirst();
    Source lostMidway =
        new ForwardingSource(faker) {
          @Override
          public StreamReader read(
              ObjectNode c, ConfiguredAirbyteStream stream, ReadContext context) {
            StreamReader read = source.read(c, stream, context);
            return new StreamReader() {
              int batches;

              @Override
              public RecordBatch next() {
                if (++batches > 6) {
                  throw io.tributary.connector.ConnectorException.transientError(
                      "lost the source", null);
                }
                return read.next();
              }

              @Override
              public JsonNode state() {
                return read.state();
              }

              @Override
              public void close() {
                read.close();
              }
            };
          }
        };
    CommitPolicy everyTwoBatches = new CommitPolicy(200, Duration.ofMinutes(1));
    assertThatThrownBy(
            () ->
                SyncEngine.builder()
                    .source(lostMidway, config)
                    .destination(new PostgresDestination(TestEgress.LOCAL), to)
                    .stream(users)
                    .states(states)
                    .commitPolicy(everyTwoBatches)
                    .batchSize(100)
                    .build()
                    .run())
        .isInstanceOf(SyncFailure.class)
        .hasMessageContaining("lost the source");

    SyncEngine.builder()
        .source(faker, config)
        .destination(new PostgresDestination(TestEgress.LOCAL), to)
        .stream(users)
        .states(states)
        .commitPolicy(everyTwoBatches)
        .batchSize(100)
        .build()
        .run();
    assertThat(count(to, "refreshed.users")).as("each record once").isEqualTo(1_000);
  }

  @Test
  void aResumedReadThatBringsNothingKeepsTheDestinationsState() {
    FakerSource faker = new FakerSource();
    ObjectNode to = TestPostgres.newDatabase();
    MemoryStateStore states = new MemoryStateStore();
    ObjectNode config = faker(50);
    StreamPlan users = plans(faker, config, "kept", SyncMode.INCREMENTAL).getFirst();
    JsonNode committed = sync(faker, config, to, users, states);
    assertThat(committed).isNotNull();

    Source silent =
        new ForwardingSource(faker) {
          @Override
          public StreamReader read(
              ObjectNode c, ConfiguredAirbyteStream stream, ReadContext context) {
            return new StreamReader() {
              @Override
              public RecordBatch next() {
                return null;
              }

              @Override
              public JsonNode state() {
                return null;
              }

              @Override
              public void close() {}
            };
          }
        };
    assertThat(sync(silent, config, to, users, states)).isEqualTo(committed);
  }

  /**
   * An Airbyte source says its state only now and then: records read before its first state message
   * are committed with the state they were read from, never with none.
   */
  @Test
  void recordsReadBeforeAnyStateAreCommittedWithTheStateTheyWereReadFrom() {
    FakerSource faker = new FakerSource();
    ObjectNode to = TestPostgres.newDatabase();
    MemoryStateStore states = new MemoryStateStore();
    StreamPlan users = plans(faker, faker(50), "unsaid", SyncMode.INCREMENTAL).getFirst();
    JsonNode committed = sync(faker, faker(50), to, users, states);
    assertThat(committed).isNotNull();

    Source stateless =
        new ForwardingSource(faker) {
          @Override
          public StreamReader read(
              ObjectNode c, ConfiguredAirbyteStream stream, ReadContext context) {
            StreamReader read = source.read(c, stream, context);
            return new StreamReader() {
              @Override
              public RecordBatch next() {
                return read.next();
              }

              @Override
              public JsonNode state() {
                return null;
              }

              @Override
              public void close() {
                read.close();
              }
            };
          }
        };
    assertThat(sync(stateless, faker(80), to, users, states)).isEqualTo(committed);
  }

  /** Syncs one stream into PostgreSQL; the state the destination then holds for it. */
  private static JsonNode sync(
      Source source, ObjectNode config, ObjectNode to, StreamPlan plan, MemoryStateStore states) {
    SyncEngine.builder()
        .source(source, config)
        .destination(new PostgresDestination(TestEgress.LOCAL), to)
        .stream(plan)
        .states(states)
        .build()
        .run();
    return committedState(to, plan);
  }

  private static JsonNode committedState(ObjectNode to, StreamPlan plan) {
    try (var writer = new PostgresDestination(TestEgress.LOCAL).open(to, plan.write())) {
      return writer.committedState();
    }
  }

  @Test
  void aFailingStreamFailsTheAttemptWithItsReasonAndCommittedWorkStays() throws SQLException {
    ObjectNode from = TestPostgres.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        "create table items (id int primary key, v text)",
        "insert into items select n, 'v' || n from generate_series(1, 100) n");
    PostgresSource source = new PostgresSource(TestEgress.LOCAL);
    AirbyteStream items = source.discover(from).stream("items").orElseThrow();
    StreamPlan plan =
        new StreamPlan(
            new ConfiguredAirbyteStream(
                items, SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND, null, null),
            new WriteTarget(
                "out",
                "items",
                StreamSchema.fields(items.jsonSchema()),
                DestinationSyncMode.APPEND,
                List.of(),
                List.of(),
                "x"));
    ObjectNode broken = from.deepCopy().put("database", "no_such_database");

    assertThatThrownBy(
            () ->
                SyncEngine.builder()
                    .source(source, broken)
                    .destination(new PostgresDestination(TestEgress.LOCAL), to)
                    .stream(plan)
                    .states(new MemoryStateStore())
                    .build()
                    .run())
        .isInstanceOfSatisfying(
            SyncFailure.class,
            f -> {
              assertThat(f.stream()).isEqualTo("items");
              assertThat(f.getMessage()).contains("no_such_database");
              assertThat(f.failureType())
                  .isEqualTo(io.tributary.connector.FailureType.CONFIG_ERROR);
            });
  }

  @Test
  void cancellingStopsTheAttempt() {
    FakerSource faker = new FakerSource();
    ObjectNode to = TestPostgres.newDatabase();
    var engine =
        SyncEngine.builder()
            .source(faker, faker(5_000_000))
            .destination(new PostgresDestination(TestEgress.LOCAL), to)
            .streams(plans(faker, faker(5_000_000), "big", SyncMode.FULL_REFRESH).subList(0, 1))
            .states(new MemoryStateStore())
            .build();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(500);
              } catch (InterruptedException ignored) {
                // cancel now
              }
              engine.cancel();
            });
    long start = System.nanoTime();
    assertThatThrownBy(engine::run).isInstanceOf(SyncFailure.Cancelled.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void cancellingWhileAConnectorPrintsNothingEndsTheSyncAndTheConnector() {
    var source =
        new ExternalSource(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TestProtocolConnector.class.getName()),
            Duration.ofSeconds(30),
            TestEgress.LOCAL);
    ObjectNode config = JsonNodeFactory.instance.objectNode().put("count", 5);
    AirbyteStream numbers = source.discover(config).stream("numbers").orElseThrow();
    CountDownLatch reading = new CountDownLatch(1);
    var engine =
        SyncEngine.builder()
            .source(new Watched(source, reading), config.deepCopy().put("hang", true))
            .destination(new PostgresDestination(TestEgress.LOCAL), TestPostgres.newDatabase())
            .stream(plan(numbers, "silent", SyncMode.FULL_REFRESH))
            .states(new MemoryStateStore())
            .build();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                reading.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException ignored) {
                // cancel now
              }
              engine.cancel();
            });
    long start = System.nanoTime();
    assertThatThrownBy(engine::run).isInstanceOf(SyncFailure.Cancelled.class);
    assertThat(reading.getCount()).as("the reader was waiting in next()").isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(TestProtocolConnector.class.getName())))
        .as("the connector process is gone")
        .isEmpty();
  }

  @Test
  void cancellingWhileADestinationStopsReadingEndsTheSyncAndTheDestination() {
    FakerSource faker = new FakerSource();
    String stuck =
        "if [ \"$1\" = spec ]; then echo '{\"type\": \"SPEC\", \"spec\":"
            + " {\"connectionSpecification\": {\"type\": \"object\"}}}'; exit 0; fi\n"
            + "exec sleep 600.25";
    var destination =
        new ExternalDestination(
            List.of("bash", "-c", stuck, "stuck-destination"),
            Duration.ofSeconds(60),
            TestEgress.LOCAL);
    CountDownLatch writing = new CountDownLatch(1);
    var engine =
        SyncEngine.builder()
            .source(faker, faker(1_000_000))
            .destination(
                new ForwardingDestination(destination) {
                  @Override
                  public StreamWriter open(ObjectNode config, WriteTarget target) {
                    return new ForwardingStreamWriter(super.open(config, target)) {
                      @Override
                      public void write(RecordBatch batch) {
                        writing.countDown();
                        super.write(batch);
                      }
                    };
                  }
                },
                JsonNodeFactory.instance.objectNode())
            .streams(plans(faker, faker(1_000_000), "big", SyncMode.FULL_REFRESH).subList(0, 1))
            .states(new MemoryStateStore())
            .build();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                writing.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException ignored) {
                // cancel now
              }
              engine.cancel();
            });
    long start = System.nanoTime();
    assertThatThrownBy(engine::run).isInstanceOf(SyncFailure.Cancelled.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains("600.25")))
        .as("the destination process is gone")
        .isEmpty();
  }

  /** The real source, counting down when the engine first waits in a reader's next(). */
  private static final class Watched extends ForwardingSource {
    private final CountDownLatch reading;

    Watched(Source source, CountDownLatch reading) {
      super(source);
      this.reading = reading;
    }

    @Override
    public StreamReader read(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext c) {
      StreamReader read = source.read(config, stream, c);
      return new StreamReader() {
        @Override
        public RecordBatch next() {
          reading.countDown();
          return read.next();
        }

        @Override
        public JsonNode state() {
          return read.state();
        }

        @Override
        public void abort() {
          read.abort();
        }

        @Override
        public void close() {
          read.close();
        }
      };
    }
  }

  private static long count(ObjectNode config, String table) throws SQLException {
    try (Connection c = TestPostgres.connect(config);
        var s = c.createStatement();
        var rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
