package io.tributary.engine;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.FailureType;
import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connector.StreamWriter;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import io.tributary.protocol.SyncMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one sync attempt. Each stream gets a reader thread and a writer thread joined by a buffer
 * bounded by the heap its batches take ({@link RecordBatch#heapBytes()}); up to {@code parallelism}
 * streams run at once. A writer commits per the {@link CommitPolicy} with the state the reader
 * reported after the last batch written, so state never runs ahead of committed data; the
 * destination's record of that state is where the next attempt resumes.
 *
 * <p>Build with {@link #builder()}; {@link #run()} blocks until every stream is done, cancelled or
 * failed.
 */
public final class SyncEngine {

  private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

  /** How long a reading thread has to come back after an interrupt before its reader is aborted. */
  static final Duration ABORT_AFTER = Duration.ofSeconds(2);

  private final Source source;
  private final ObjectNode sourceConfig;
  private final Destination destination;
  private final ObjectNode destinationConfig;
  private final List<StreamPlan> streams;
  private final StateStore states;
  private final SyncListener listener;
  private final CommitPolicy commitPolicy;
  private final long bufferBytes;
  private final int parallelism;
  private final int batchSize;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicBoolean cancelRequested = new AtomicBoolean();
  private final Set<StreamWriter> openWriters = ConcurrentHashMap.newKeySet();
  private volatile long stoppedAt;
  private boolean writersAborted;

  private SyncEngine(Builder b) {
    this.source = b.source;
    this.sourceConfig = b.sourceConfig;
    this.destination = b.destination;
    this.destinationConfig = b.destinationConfig;
    this.streams = List.copyOf(b.streams);
    this.states = b.states;
    this.listener = b.listener;
    this.commitPolicy = b.commitPolicy;
    this.bufferBytes = b.bufferBytes;
    this.parallelism = b.parallelism;
    this.batchSize = b.batchSize;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Asks the running attempt to stop; committed work stays, uncommitted work is discarded. */
  public void cancel() {
    cancelRequested.set(true);
    stopAll();
  }

  /** Makes every stream stop at its next step; writers still busy after a while are aborted. */
  private void stopAll() {
    if (cancelled.compareAndSet(false, true)) {
      stoppedAt = System.nanoTime();
    }
  }

  /**
   * Aborts the writers of streams that have not come back {@link #ABORT_AFTER} after the attempt
   * was stopped: a write blocked on a destination that stopped reading ends only so.
   */
  private void abortStuckWriters() {
    if (!cancelled.get()
        || writersAborted
        || System.nanoTime() - stoppedAt < ABORT_AFTER.toNanos()) {
      return;
    }
    writersAborted = true;
    for (StreamWriter writer : openWriters) {
      try {
        writer.abort();
      } catch (RuntimeException ignored) {
        // the stream has ended for this attempt; close follows on its writing thread
      }
    }
  }

  /**
   * @return statistics per stream, in plan order
   * @throws SyncFailure for the first stream that failed (the others are stopped), or {@link
   *     SyncFailure.Cancelled}
   */
  public List<StreamStats> run() {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(parallelism, streams.size())),
            Thread.ofPlatform().name("sync-stream-", 0).factory());
    try {
      List<Future<StreamStats>> running = new ArrayList<>();
      for (StreamPlan plan : streams) {
        running.add(pool.submit(() -> syncStream(plan)));
      }
      List<StreamStats> stats = new ArrayList<>();
      SyncFailure failure = null;
      for (Future<StreamStats> stream : running) {
        while (true) {
          try {
            stats.add(stream.get(200, TimeUnit.MILLISECONDS));
            break;
          } catch (TimeoutException e) {
            abortStuckWriters();
          } catch (ExecutionException e) {
            if (failure == null) {
              failure =
                  e.getCause() instanceof SyncFailure f
                      ? f
                      : new SyncFailure(
                          null,
                          FailureType.SYSTEM_ERROR,
                          String.valueOf(e.getCause().getMessage()),
                          e.getCause());
              stopAll();
            }
            break;
          }
        }
      }
      // what an aborted writer threw is not the attempt's outcome: it was cancelled
      if (cancelRequested.get()) {
        throw new SyncFailure.Cancelled();
      }
      if (failure != null) {
        throw failure;
      }
      if (cancelled.get()) {
        throw new SyncFailure.Cancelled();
      }
      return stats;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopAll();
      throw new SyncFailure.Cancelled();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Reads on a second thread, writes on this one, commits per policy; returns the stream's counts.
   */
  private StreamStats syncStream(StreamPlan plan) throws InterruptedException {
    String name = plan.name();
    Semaphore budget =
        new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(1, bufferBytes / 1024)));
    BlockingQueue<Item> queue = new ArrayBlockingQueue<>(256);
    long emitted = 0;
    long emittedBytes = 0;
    long committed = 0;
    long committedBytes = 0;
    try (StreamWriter writer =
        open(name, () -> destination.open(destinationConfig, plan.write()))) {
      openWriters.add(writer);
      boolean resumable = resumable(plan);
      JsonNode committedHere = plan.fromStart() || !resumable ? null : writer.committedState();
      // a destination that commits state with its rows knows how far its table is: none there
      // means a table without the stream's rows (a new database, path or schema), read from the
      // start; only one that acknowledges later leaves the stored copy to resume from
      JsonNode resume =
          plan.fromStart()
                  || committedHere != null
                  || fullRefresh(plan)
                  || writer.commitsWhenAsked()
              ? committedHere
              : states.load(plan.write().stateKey());
      listener.log(
          "Stream "
              + name
              + ": "
              + (plan.fromStart()
                  ? "refreshing: reading everything again"
                  : resume == null
                      ? "reading from the start"
                      : "resuming from its last committed state"));
      ReadContext context = new Context(name, resume, writer.rowFormat());
      AtomicReference<StreamReader> opened = new AtomicReference<>();
      Thread reader =
          Thread.ofPlatform()
              .name("read-" + name)
              .start(() -> read(plan, context, queue, budget, opened));
      long pendingRecords = 0;
      long pendingBytes = 0;
      // a read that brings nothing leaves the stream where it resumed from, rather than committing
      // no state over the destination's copy (the next attempt would then fall back to the copy
      // stored beside the connection, which may be behind)
      JsonNode pendingState = resume;
      long lastCommit = System.nanoTime();
      try {
        while (true) {
          Item item = queue.poll(200, TimeUnit.MILLISECONDS);
          if (cancelled.get()) {
            throw new SyncFailure.Cancelled();
          }
          if (item == null) {
            continue;
          }
          if (item.failure != null) {
            throw item.failure;
          }
          if (item.batch == null) {
            break;
          }
          guarded(name, () -> writer.write(item.batch));
          budget.release(permits(item.batch));
          emitted += item.batch.size();
          emittedBytes += item.batch.bytes();
          pendingRecords += item.batch.size();
          pendingBytes += item.batch.bytes();
          // an incremental batch read before the source's first state message carries none: its
          // records go with the state they were read from, rather than with no state at all
          // (which a destination takes for "read everything again"). A full refresh's staged
          // records do go with none: a retry resuming from the earlier state would stage them
          // twice, so it starts over instead
          if (item.stateAfter != null || fullRefresh(plan)) {
            pendingState = item.stateAfter;
          }
          if (commitPolicy.due(pendingRecords, System.nanoTime() - lastCommit)) {
            commit(plan, writer, pendingState);
            committed += pendingRecords;
            committedBytes += pendingBytes;
            listener.committed(name, pendingRecords, pendingBytes);
            pendingRecords = 0;
            pendingBytes = 0;
            lastCommit = System.nanoTime();
          }
        }
        commit(plan, writer, pendingState);
        committed += pendingRecords;
        committedBytes += pendingBytes;
        listener.committed(name, pendingRecords, pendingBytes);
        guarded(name, writer::complete);
        saveAcknowledged(plan, writer);
        listener.log("Stream " + name + ": " + committed + " records committed");
        return new StreamStats(name, emitted, emittedBytes, committed, committedBytes);
      } finally {
        openWriters.remove(writer);
        stop(reader, opened);
      }
    } catch (SyncFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(name, e);
    }
  }

  /**
   * Whether an attempt may continue where the last one stopped: an incremental stream always, a
   * full refresh only when its source says it resumes one (Airbyte's {@code is_resumable}). Any
   * other full refresh reads everything again, and its destination must not keep the rows an
   * earlier attempt staged, or they would be published twice.
   */
  private static boolean resumable(StreamPlan plan) {
    return !fullRefresh(plan) || Boolean.TRUE.equals(plan.read().stream().isResumable());
  }

  /**
   * A full refresh resumes only from the destination's own staging: the state stored beside the
   * connection is the last completed read's, and resuming from it would publish its tail alone.
   */
  private static boolean fullRefresh(StreamPlan plan) {
    return plan.read().syncMode() == SyncMode.FULL_REFRESH;
  }

  /**
   * Ends the reading thread: an interrupt ends its waits on the buffer; a reader still in {@code
   * next()} after {@link #ABORT_AFTER} is aborted, so a silent connector does not outlive its sync.
   */
  private static void stop(Thread reading, AtomicReference<StreamReader> opened)
      throws InterruptedException {
    reading.interrupt();
    reading.join(ABORT_AFTER.toMillis());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    boolean aborted = false;
    while (reading.isAlive() && System.nanoTime() < deadline) {
      StreamReader reader = opened.get();
      if (reader != null && !aborted) {
        aborted = true;
        try {
          reader.abort();
        } catch (RuntimeException ignored) {
          // the stream has ended for this attempt; close follows on the reading thread
        }
      }
      reading.join(100);
    }
  }

  private void read(
      StreamPlan plan,
      ReadContext context,
      BlockingQueue<Item> queue,
      Semaphore budget,
      AtomicReference<StreamReader> opened) {
    String name = plan.name();
    try (StreamReader reader = open(name, () -> source.read(sourceConfig, plan.read(), context))) {
      opened.set(reader);
      if (cancelled.get()) {
        return;
      }
      for (RecordBatch batch = guarded(name, reader::next);
          batch != null;
          batch = guarded(name, reader::next)) {
        budget.acquire(permits(batch));
        listener.emitted(name, batch.size(), batch.bytes());
        queue.put(new Item(batch, reader.state(), null));
        if (cancelled.get()) {
          return;
        }
      }
      queue.put(new Item(null, null, null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SyncFailure e) {
      queue.offer(new Item(null, null, e));
    } catch (RuntimeException e) {
      queue.offer(new Item(null, null, failure(name, e)));
    }
  }

  private void commit(StreamPlan plan, StreamWriter writer, JsonNode state) {
    // a destination that stages an overwrite keeps the staged rows for an attempt resuming from
    // the state committed with them: one the source cannot resume from is kept from it, so the
    // next attempt starts afresh (the stored copy still marks the checkpoint, e.g. for a rotated
    // configuration)
    JsonNode kept = resumable(plan) || !writer.commitsWhenAsked() ? state : null;
    guarded(plan.name(), () -> writer.commit(kept));
    if (!writer.commitsWhenAsked()) {
      saveAcknowledged(plan, writer);
    } else if (state != null) {
      states.save(plan.write().stateKey(), state);
    }
  }

  /** A writer that acknowledges commits later: only the states it acknowledged are stored. */
  private void saveAcknowledged(StreamPlan plan, StreamWriter writer) {
    if (writer.commitsWhenAsked()) {
      return;
    }
    for (JsonNode state : guarded(plan.name(), writer::acknowledged)) {
      if (state != null && !state.isNull()) {
        states.save(plan.write().stateKey(), state);
      }
    }
  }

  /**
   * A batch's share of the budget, in KiB of heap. A batch larger than the whole budget takes all
   * of it, so it still passes alone.
   */
  private int permits(RecordBatch batch) {
    long max = Math.max(1, bufferBytes / 1024);
    return (int) Math.min(max, Math.max(1, batch.heapBytes() / 1024));
  }

  private static <T> T open(String stream, java.util.function.Supplier<T> opener) {
    return guarded(stream, opener);
  }

  private static <T> T guarded(String stream, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (ConnectorException e) {
      throw new SyncFailure(stream, e.failureType(), e.getMessage(), e);
    }
  }

  private static void guarded(String stream, Runnable call) {
    guarded(
        stream,
        () -> {
          call.run();
          return null;
        });
  }

  private static SyncFailure failure(String stream, RuntimeException e) {
    log.error("Stream {} failed", stream, e);
    return e instanceof SyncFailure f
        ? f
        : new SyncFailure(
            stream, FailureType.SYSTEM_ERROR, "Stream " + stream + " failed: " + e.getMessage(), e);
  }

  /** A batch with the state after it, the end of the stream (no batch), or the reader's failure. */
  private record Item(RecordBatch batch, JsonNode stateAfter, SyncFailure failure) {}

  private final class Context implements ReadContext {
    private final String stream;
    private final JsonNode state;
    private final RowFormat rowFormat;

    Context(String stream, JsonNode state, RowFormat rowFormat) {
      this.stream = stream;
      this.state = state;
      this.rowFormat = rowFormat;
    }

    @Override
    public RowFormat rowFormat() {
      return rowFormat;
    }

    @Override
    public void log(String level, String message) {
      if (!level.equals("DEBUG") && !level.equals("TRACE")) {
        listener.log(stream + ": " + (level.equals("INFO") ? "" : level + " ") + message);
      }
    }

    @Override
    public void configChanged(ObjectNode config) {
      listener.configChanged(config);
    }

    @Override
    public void estimate(long records, long bytes) {
      listener.estimated(stream, records, bytes);
    }

    @Override
    public JsonNode state() {
      return state;
    }

    @Override
    public int batchSize() {
      return batchSize;
    }

    @Override
    public boolean cancelled() {
      return cancelled.get();
    }
  }

  /** Assembles an engine; {@link #build()} fills defaults and names what is missing. */
  public static final class Builder {
    private Source source;
    private ObjectNode sourceConfig;
    private Destination destination;
    private ObjectNode destinationConfig;
    private final List<StreamPlan> streams = new ArrayList<>();
    private StateStore states;
    private SyncListener listener = SyncListener.NONE;
    private CommitPolicy commitPolicy = CommitPolicy.DEFAULT;
    private long bufferBytes = 64L * 1024 * 1024;
    private int parallelism = 2;
    private int batchSize = 5_000;

    public Builder source(Source source, ObjectNode config) {
      this.source = source;
      this.sourceConfig = config;
      return this;
    }

    public Builder destination(Destination destination, ObjectNode config) {
      this.destination = destination;
      this.destinationConfig = config;
      return this;
    }

    public Builder stream(StreamPlan plan) {
      streams.add(plan);
      return this;
    }

    public Builder streams(List<StreamPlan> plans) {
      streams.addAll(plans);
      return this;
    }

    public Builder states(StateStore states) {
      this.states = states;
      return this;
    }

    public Builder listener(SyncListener listener) {
      this.listener = listener;
      return this;
    }

    public Builder commitPolicy(CommitPolicy policy) {
      this.commitPolicy = policy;
      return this;
    }

    /**
     * Heap that records in flight may take per stream between its reader and writer; a reader waits
     * once its batches reach it.
     */
    public Builder bufferBytes(long bytes) {
      this.bufferBytes = bytes;
      return this;
    }

    /** Streams synced at once. */
    public Builder parallelism(int streams) {
      this.parallelism = streams;
      return this;
    }

    public Builder batchSize(int records) {
      this.batchSize = records;
      return this;
    }

    public SyncEngine build() {
      List<String> missing = new ArrayList<>();
      if (source == null) missing.add("source");
      if (destination == null) missing.add("destination");
      if (states == null) missing.add("state store");
      if (!missing.isEmpty()) {
        throw new IllegalStateException("A sync engine needs: " + String.join(", ", missing));
      }
      return new SyncEngine(this);
    }
  }
}
