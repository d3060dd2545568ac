package io.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.Destination;
import io.tributary.connector.ForwardingDestination;
import io.tributary.connector.ForwardingStreamWriter;
import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.postgres.PostgresDestination;
import io.tributary.connectors.postgres.PostgresSource;
import io.tributary.connectors.testing.ParallelSettings;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The buffer between a stream's reader and writer holds at most its budget of heap, however fast
 * the reader: here PostgreSQL's parallel key-range read against a writer that has not yet written
 * anything.
 */
class SyncEngineBufferTest {

  private static final long BUDGET = 1L << 20;

  @AfterEach
  void defaults() {
    ParallelSettings.clear();
  }

  @Test
  @Timeout(120) // a reader and writer waiting on each other fail here instead of hanging
  void aReaderFasterThanTheWriterWaitsOnceItsBatchesFillTheBudgetInHeap() throws SQLException {
    ObjectNode from = TestPostgres.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        """
        create table events (id bigint primary key, at timestamptz, amount numeric(12,2),
          flag boolean, label text)""",
        """
        insert into events select n, timestamptz '2024-01-01' + n * interval '1 second',
          n / 100.0, n % 2 = 0, 'event ' || n from generate_series(1, 60000) n""",
        "analyze events");
    ParallelSettings.set(3, 1_000);
    Measured source = new Measured(new PostgresSource(TestEgress.LOCAL));
    Gated destination = new Gated(new PostgresDestination(TestEgress.LOCAL), source);
    AirbyteStream events = source.discover(from).stream("events").orElseThrow();

    SyncEngine.builder().source(source, from).destination(destination, to).stream(
            new StreamPlan(
                new ConfiguredAirbyteStream(
                    events, SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE, null, null),
                new WriteTarget(
                    "buffered",
                    "events",
                    StreamSchema.fields(events.jsonSchema()),
                    DestinationSyncMode.OVERWRITE,
                    List.of(),
                    List.of(),
                    "buffer/events")))
        .states(new MemoryStateStore())
        .bufferBytes(BUDGET)
        .batchSize(500)
        .build()
        .run();

    // what the reader had handed over when it stopped, less the batch it was waiting to buffer
    long buffered = destination.bufferedWhenReaderWaited;
    assertThat(buffered).isLessThanOrEqualTo(BUDGET);
    // the budget stopped it, not the end of the table: one more batch would not have fitted
    assertThat(buffered + source.lastBatchHeap.get()).isGreaterThan(BUDGET);
    // the rows' payload estimate is several times smaller than their heap: a budget counted by it
    // let the reader queue several times the budget
    assertThat(source.heap.get()).isGreaterThan(3 * source.payload.get());
    try (Connection c = TestPostgres.connect(to);
        var rs = c.createStatement().executeQuery("select count(*) from buffered.events")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(60_000);
    }
  }

  /** The real source, noting what each batch it hands the engine holds. */
  private static final class Measured extends ForwardingSource {
    final AtomicLong handedHeap = new AtomicLong();
    final AtomicLong lastBatchHeap = new AtomicLong();
    final AtomicLong heap = new AtomicLong();
    final AtomicLong payload = new AtomicLong();
    volatile Thread reader;
    volatile boolean reading;

    Measured(Source source) {
      super(source);
    }

    @Override
    public StreamReader read(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext c) {
      StreamReader read = source.read(config, stream, c);
      reader = Thread.currentThread();
      return new StreamReader() {
        @Override
        public RecordBatch next() {
          reading = true;
          RecordBatch batch = read.next();
          if (batch != null) {
            handedHeap.addAndGet(batch.heapBytes());
            lastBatchHeap.set(batch.heapBytes());
            heap.addAndGet(batch.heapBytes());
            payload.addAndGet(batch.bytes());
          }
          reading = false;
          return batch;
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
  }

  /** The real destination, whose first write waits until the reader has stopped for the budget. */
  private static final class Gated extends ForwardingDestination {
    private final Measured source;
    volatile long bufferedWhenReaderWaited = -1;

    Gated(Destination destination, Measured source) {
      super(destination);
      this.source = source;
    }

    @Override
    public StreamWriter open(ObjectNode config, WriteTarget target) {
      return new ForwardingStreamWriter(super.open(config, target)) {
        @Override
        public RowFormat rowFormat() {
          return null; // the budget is measured on records as values, not as passed-through tuples
        }

        @Override
        public void write(RecordBatch batch) {
          if (bufferedWhenReaderWaited < 0) {
            // nothing is written (so nothing released) until the reader, outside its source,
            // waits: for the budget, since the engine's queue of 256 batches is far from full
            while (source.reader == null
                || source.reading
                || source.reader.getState() != Thread.State.WAITING) {
              if (source.reader != null && source.reader.getState() == Thread.State.TERMINATED) {
                break; // it read everything without waiting: the assertions below say so
              }
              Thread.onSpinWait();
            }
            bufferedWhenReaderWaited = source.handedHeap.get() - source.lastBatchHeap.get();
          }
          super.write(batch);
        }
      };
    }
  }
}
