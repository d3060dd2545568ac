package io.tributary.connectors.postgres;

import io.tributary.connector.ConnectorException;
import io.tributary.protocol.Field;
import io.tributary.protocol.RecordBatch;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import tools.jackson.databind.node.ObjectNode;

/**
 * Several {@code COPY ... FROM STDIN} into one staging table at once, each on its own connection
 * and thread, so encoding and the server's parsing of a large overwrite use more than one core.
 * Batches go to the lane with the shortest queue; each lane holds at most one waiting batch, so
 * memory stays a few batches per lane.
 *
 * <p>{@link #flush()} ends every lane's copy and commits it. The caller commits its own transaction
 * (with the state) after, which is only safe where a crash in between costs nothing: the overwrite
 * staging table of a read that has no resume point, which the next attempt truncates.
 */
final class CopyLanes implements AutoCloseable {

  private static final Object STOP = new Object();

  private final List<Lane> lanes = new ArrayList<>();
  private final ObjectNode config;

  CopyLanes(
      int count,
      Supplier<Connection> connections,
      ObjectNode config,
      String table,
      List<Field> fields,
      List<Field> encodedFields,
      Supplier<CopyEncoder> encoders,
      OffsetDateTime extractedAt) {
    this.config = config;
    String sql = PostgresWriter.copySql(table, fields);
    String encodedSql = PostgresWriter.copySql(table, encodedFields);
    try {
      for (int i = 0; i < count; i++) {
        lanes.add(
            new Lane(
                i, connections.get(), sql, encodedSql, encoders.get(), fields.size(), extractedAt));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  int size() {
    return lanes.size();
  }

  void write(RecordBatch batch) {
    Lane shortest = lanes.getFirst();
    for (Lane lane : lanes) {
      lane.rethrow();
      if (lane.queue.size() < shortest.queue.size()) {
        shortest = lane;
      }
    }
    shortest.put(batch);
  }

  /** Ends each lane's copy and commits it; returns once all have. */
  void flush() {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Lane lane : lanes) {
      CompletableFuture<Void> flushed = new CompletableFuture<>();
      lane.put(flushed);
      done.add(flushed);
    }
    for (CompletableFuture<Void> flushed : done) {
      try {
        flushed.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SQLException sql) {
          throw PostgresErrors.translate(sql, config);
        }
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw ConnectorException.system("Parallel copy failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ConnectorException.transientError("Parallel copy interrupted", e);
      }
    }
  }

  /** Stops the lanes; what they did not commit is rolled back. */
  @Override
  public void close() {
    lanes.forEach(Lane::stop);
  }

  private final class Lane {
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
    private final Connection connection;
    private final String sql;
    private final String encodedSql;
    private final CopyEncoder encoder;
    private final int width;
    private final OffsetDateTime extractedAt;
    private final Thread thread;
    private volatile Throwable failure;
    private CopyIn copy;
    private boolean copyingEncoded;

    Lane(
        int index,
        Connection connection,
        String sql,
        String encodedSql,
        CopyEncoder encoder,
        int width,
        OffsetDateTime extractedAt) {
      this.connection = connection;
      this.sql = sql + encoder.options();
      this.encodedSql = encodedSql + encoder.options();
      this.encoder = encoder;
      this.width = width;
      this.extractedAt = extractedAt;
      this.thread = Thread.ofPlatform().name("copy-lane-" + index).daemon().start(this::run);
    }

    void put(Object message) {
      rethrow();
      try {
        while (!queue.offer(message, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          rethrow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ConnectorException.transientError("Parallel copy interrupted", e);
      }
    }

    void rethrow() {
      Throwable failed = failure;
      if (failed instanceof SQLException sql) {
        throw PostgresErrors.translate(sql, config);
      }
      if (failed instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failed != null) {
        throw ConnectorException.system("Parallel copy failed", failed);
      }
    }

    private void run() {
      try {
        connection.setAutoCommit(false);
        while (true) {
          Object message = queue.take();
          if (message == STOP) {
            return;
          }
          if (message instanceof RecordBatch batch) {
            append(batch);
          } else if (message instanceof CompletableFuture<?> flushed) {
            try {
              end();
              connection.commit();
              flushed.complete(null);
            } catch (SQLException | RuntimeException e) {
              flushed.completeExceptionally(e);
              throw e;
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (SQLException | RuntimeException e) {
        failure = e;
        // a flush waiting behind a failed batch learns of it rather than waiting forever
        for (Object message; (message = queue.poll()) != null; ) {
          if (message instanceof CompletableFuture<?> flushed) {
            flushed.completeExceptionally(e);
          }
        }
      } finally {
        PostgresWriter.abandon(copy, connection);
      }
    }

    private void append(RecordBatch batch) throws SQLException {
      boolean encoded = batch.encoded() != null;
      if (copy != null && copyingEncoded != encoded) {
        end();
      }
      if (copy == null) {
        copy =
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(encoded ? encodedSql : sql);
        encoder.begin();
        copyingEncoded = encoded;
      }
      if (encoded) {
        encoder.drain((bytes, length) -> copy.writeToCopy(bytes, 0, length));
        copy.writeToCopy(batch.encoded().data(), 0, batch.encoded().length());
        return;
      }
      for (Object[] record : batch.records()) {
        Object[] row = new Object[width];
        System.arraycopy(record, 0, row, 0, width - 1);
        row[width - 1] = extractedAt;
        encoder.append(row);
        if (encoder.pending() >= 1 << 20) {
          encoder.drain((bytes, length) -> copy.writeToCopy(bytes, 0, length));
        }
      }
    }

    private void end() throws SQLException {
      if (copy != null) {
        encoder.end();
        encoder.drain((bytes, length) -> copy.writeToCopy(bytes, 0, length));
        copy.endCopy();
        copy = null;
      }
    }

    void stop() {
      queue.clear();
      if (!queue.offer(STOP)) {
        thread.interrupt();
      }
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        thread.interrupt();
      }
    }
  }
}
