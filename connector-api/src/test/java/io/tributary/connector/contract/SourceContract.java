package io.tributary.connector.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every source must do. A connector's test extends this with a real system behind {@link
 * #validConfig()}.
 */
public abstract class SourceContract {

  protected abstract Source source();

  /** A configuration that works against the test system. */
  protected abstract ObjectNode validConfig();

  /** Broken configurations, each with a piece of text the failure message must contain. */
  protected abstract Map<ObjectNode, String> brokenConfigs();

  /** The streams {@link #validConfig()} must discover. */
  protected abstract Set<String> expectedStreams();

  /** How long a check may take, even against an unreachable host. */
  protected Duration checkTimeout() {
    return Duration.ofSeconds(30);
  }

  @Test
  void specIsAnObjectSchemaWithProperties() {
    ObjectNode schema = source().spec().connectionSpecification();
    assertThat(schema.path("type").asString()).isEqualTo("object");
    assertThat(schema.path("properties").isObject()).isTrue();
  }

  @Test
  void checkSucceedsOnAGoodConfig() {
    ConnectionStatus status = timed(() -> source().check(validConfig()));
    assertThat(status.ok()).as(status.message()).isTrue();
  }

  @Test
  void checkFailsWithAMessageAUserCanActOn() {
    brokenConfigs()
        .forEach(
            (config, expected) -> {
              ConnectionStatus status = timed(() -> source().check(config));
              assertThat(status.ok()).as("check of %s", expected).isFalse();
              assertThat(status.message()).containsIgnoringCase(expected);
              secrets(config)
                  .forEach(secret -> assertThat(status.message()).doesNotContain(secret));
            });
  }

  @Test
  void discoverReturnsTheExpectedStreams() {
    AirbyteCatalog catalog = source().discover(validConfig());
    assertThat(catalog.streams().stream().map(AirbyteStream::name).toList())
        .containsAll(expectedStreams());
    for (AirbyteStream stream : catalog.streams()) {
      assertThat(stream.supportedSyncModes()).as(stream.name()).isNotEmpty();
      assertThat(StreamSchema.fields(stream.jsonSchema())).as(stream.name()).isNotEmpty();
    }
  }

  @Test
  void everyStreamReadsToTheEndWithRecordsOfItsFields() {
    AirbyteCatalog catalog = source().discover(validConfig());
    for (AirbyteStream stream : catalog.streams()) {
      if (!expectedStreams().contains(stream.name())) {
        continue;
      }
      int width = StreamSchema.fields(stream.jsonSchema()).size();
      for (RecordBatch batch : readAll(source(), validConfig(), full(stream), null)) {
        assertThat(batch.size()).isPositive();
        batch.records().forEach(record -> assertThat(record).hasSize(width));
      }
    }
  }

  public static ConfiguredAirbyteStream full(AirbyteStream stream) {
    return new ConfiguredAirbyteStream(
        stream, SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND, null, null);
  }

  /** Reads a stream to its end; the last batch's state is in the returned list's reader state. */
  public static List<RecordBatch> readAll(
      Source source, ObjectNode config, ConfiguredAirbyteStream stream, JsonNode state) {
    List<RecordBatch> batches = new ArrayList<>();
    try (StreamReader reader = source.read(config, stream, context(state))) {
      for (RecordBatch batch = reader.next(); batch != null; batch = reader.next()) {
        batches.add(batch);
      }
    }
    return batches;
  }

  public static ReadContext context(JsonNode state) {
    return context(state, heard -> {});
  }

  /** A read context that also hands on what the connector says besides its records. */
  public static ReadContext context(JsonNode state, Consumer<String> heard) {
    return context(state, null, heard);
  }

  /**
   * A read context for a destination that takes records in {@code rowFormat} as they are (may be
   * null).
   */
  public static ReadContext context(JsonNode state, RowFormat rowFormat, Consumer<String> heard) {
    return new ReadContext() {
      @Override
      public JsonNode state() {
        return state;
      }

      @Override
      public RowFormat rowFormat() {
        return rowFormat;
      }

      @Override
      public boolean cancelled() {
        return false;
      }

      @Override
      public void log(String level, String message) {
        heard.accept(level + " " + message);
      }

      @Override
      public void estimate(long records, long bytes) {
        heard.accept("estimate " + records);
      }
    };
  }

  private <T> T timed(java.util.function.Supplier<T> call) {
    try {
      return CompletableFuture.supplyAsync(call)
          .get(checkTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("check did not answer within " + checkTimeout(), e);
    }
  }

  private static List<String> secrets(ObjectNode config) {
    List<String> secrets = new ArrayList<>();
    config
        .properties()
        .forEach(
            e -> {
              if ((e.getKey().contains("password") || e.getKey().contains("secret"))
                  && !e.getValue().asString("").isBlank()) {
                secrets.add(e.getValue().asString());
              }
            });
    return secrets;
  }
}
