package io.tributary.connectors.jdbc;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.StreamReader;
import io.tributary.protocol.RecordBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;

/**
 * Reads several parts of one table at once (key ranges under one snapshot) and hands their batches
 * on as one stream, in whatever order they arrive. Rows waiting here are bounded by the heap they
 * take: a part that runs ahead waits for the engine to take what is queued.
 *
 * <p>It has no resume point ({@link #state()} is null): the parts progress independently, so an
 * interrupted read starts over, as a full refresh does anyway.
 */
public final class ParallelReader implements StreamReader {

  private record Item(RecordBatch batch, RuntimeException failure, boolean last) {}

  private final List<StreamReader> parts;
  private final AutoCloseable snapshot;
  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final Semaphore budget;
  private final int budgetPermits;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private int running;

  /**
   * @param parts readers of the disjoint parts, each already started; owned from here on
   * @param snapshot what keeps the shared snapshot alive (the exporting transaction), closed last
   */
  public ParallelReader(List<StreamReader> parts, AutoCloseable snapshot, long bufferBytes) {
    this.parts = List.copyOf(parts);
    this.snapshot = snapshot;
    this.budgetPermits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bufferBytes >> 10));
    this.budget = new Semaphore(budgetPermits);
    this.running = parts.size();
    for (int i = 0; i < this.parts.size(); i++) {
      StreamReader part = this.parts.get(i);
      threads.add(Thread.ofPlatform().name("read-part-" + i).daemon().start(() -> pump(part)));
    }
  }

  private void pump(StreamReader part) {
    try {
      for (RecordBatch batch = part.next(); batch != null; batch = part.next()) {
        budget.acquire(permits(batch));
        queue.put(new Item(batch, null, false));
        if (closed.get()) {
          return;
        }
      }
      queue.put(new Item(null, null, true));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      queue.add(new Item(null, e, true));
    } catch (Error e) {
      // an out-of-memory in one part must fail the read, not leave it waiting for that part
      queue.add(
          new Item(null, ConnectorException.system("Reading part of the table failed", e), true));
    }
  }

  @Override
  public RecordBatch next() {
    try {
      while (running > 0) {
        Item item = queue.poll(1, TimeUnit.SECONDS);
        if (item == null) {
          continue;
        }
        if (item.failure != null) {
          throw item.failure;
        }
        if (item.last) {
          running--;
          continue;
        }
        budget.release(permits(item.batch));
        return item.batch;
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ConnectorException.transientError("Read interrupted", e);
    }
  }

  @Override
  public JsonNode state() {
    return null;
  }

  @Override
  public void abort() {
    parts.forEach(StreamReader::abort);
  }

  @Override
  public void close() {
    closed.set(true);
    threads.forEach(Thread::interrupt);
    // a part blocked on the database finishes its fetch; closing its connection ends the wait
    parts.forEach(StreamReader::close);
    for (Thread thread : threads) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      snapshot.close();
    } catch (Exception ignored) {
      // the snapshot's transaction ends with its connection either way
    }
  }

  private int permits(RecordBatch batch) {
    return (int) Math.min(budgetPermits, Math.max(1, batch.heapBytes() >> 10));
  }
}
