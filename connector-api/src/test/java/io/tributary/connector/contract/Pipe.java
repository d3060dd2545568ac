package io.tributary.connector.contract;

import io.tributary.connector.Destination;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simplest correct read → write loop, for connector tests: resume from the destination's
 * committed state, commit every {@code commitEvery} batches, complete at the end. The engine does
 * the same with threads, a bounded buffer and statistics.
 */
public final class Pipe {

  private Pipe() {}

  /** {@code stream} read whole every time, written with {@code mode}. */
  public static ConfiguredAirbyteStream fullRefresh(
      AirbyteStream stream, DestinationSyncMode mode) {
    return new ConfiguredAirbyteStream(stream, SyncMode.FULL_REFRESH, mode, null, null);
  }

  /**
   * Where {@code configured} lands: a table of its stream's name and fields in {@code namespace},
   * written with its mode, primary key and cursor.
   */
  public static WriteTarget target(
      ConfiguredAirbyteStream configured, String namespace, String stateKey) {
    AirbyteStream stream = configured.stream();
    return new WriteTarget(
        namespace,
        stream.name(),
        StreamSchema.fields(stream.jsonSchema()),
        configured.destinationSyncMode(),
        configured.primaryKey(),
        configured.cursorField(),
        stateKey);
  }

  /**
   * @param stopAfterBatches stop without committing after this many batches (a simulated crash), or
   *     -1
   * @return records written
   */
  public static long run(
      Source source,
      ObjectNode sourceConfig,
      ConfiguredAirbyteStream stream,
      Destination destination,
      ObjectNode destinationConfig,
      WriteTarget target,
      int commitEvery,
      int stopAfterBatches) {
    return run(
        source,
        sourceConfig,
        stream,
        destination,
        destinationConfig,
        target,
        commitEvery,
        stopAfterBatches,
        heard -> {});
  }

  /** As above, handing on what the source logs. */
  public static long run(
      Source source,
      ObjectNode sourceConfig,
      ConfiguredAirbyteStream stream,
      Destination destination,
      ObjectNode destinationConfig,
      WriteTarget target,
      int commitEvery,
      int stopAfterBatches,
      Consumer<String> heard) {
    long records = 0;
    try (StreamWriter writer = destination.open(destinationConfig, target)) {
      JsonNode resume = writer.committedState();
      try (StreamReader reader =
          source.read(
              sourceConfig, stream, SourceContract.context(resume, writer.rowFormat(), heard))) {
        int batches = 0;
        for (RecordBatch batch = reader.next(); batch != null; batch = reader.next()) {
          writer.write(batch);
          records += batch.size();
          batches++;
          if (batches == stopAfterBatches) {
            return records;
          }
          if (batches % commitEvery == 0) {
            writer.commit(reader.state());
          }
        }
        writer.commit(reader.state());
        writer.complete();
      }
    }
    return records;
  }
}
