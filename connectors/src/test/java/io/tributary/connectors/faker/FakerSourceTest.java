package io.tributary.connectors.faker;

import static io.tributary.connector.contract.SourceContract.context;
import static io.tributary.connector.contract.SourceContract.full;
import static io.tributary.connector.contract.SourceContract.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connector.contract.SourceContract;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.SyncMode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class FakerSourceTest extends SourceContract {

  private final FakerSource source = new FakerSource();

  @Override
  protected Source source() {
    return source;
  }

  @Override
  protected ObjectNode validConfig() {
    return config(250, 42, false);
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    return Map.of(config(-1, 1, false), "count");
  }

  @Override
  protected Set<String> expectedStreams() {
    return Set.of("users", "products", "purchases");
  }

  static ObjectNode config(int count, int seed, boolean alwaysUpdated) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("count", count)
        .put("seed", seed)
        .put("always_updated", alwaysUpdated)
        .put("records_per_slice", 100);
  }

  @Test
  void sameSeedSameRecordsAndCountsMatchConfig() {
    AirbyteStream users = source.discover(validConfig()).stream("users").orElseThrow();
    List<Object[]> first = records(readAll(source, validConfig(), full(users), null));
    List<Object[]> second = records(readAll(source, validConfig(), full(users), null));
    assertThat(first).hasSize(250);
    for (int i = 0; i < first.size(); i++) {
      assertThat(Arrays.deepEquals(first.get(i), second.get(i))).isTrue();
    }
    List<Object[]> otherSeed = records(readAll(source, config(250, 7, false), full(users), null));
    assertThat(otherSeed.get(0)[3]).isNotEqualTo(first.get(0)[3]);
    assertThat(
            records(
                readAll(
                    source,
                    validConfig(),
                    full(source.discover(validConfig()).stream("products").orElseThrow()),
                    null)))
        .hasSize(100);
  }

  @Test
  void incrementalReadsOnlyWhatChangedAfterTheCursor() {
    AirbyteStream users = source.discover(validConfig()).stream("users").orElseThrow();
    var incremental =
        new ConfiguredAirbyteStream(
            users,
            SyncMode.INCREMENTAL,
            DestinationSyncMode.APPEND_DEDUP,
            List.of("updated_at"),
            List.of(List.of("id")));
    JsonNode state;
    try (StreamReader reader = source.read(config(100, 42, false), incremental, context(null))) {
      int count = 0;
      for (RecordBatch batch = reader.next(); batch != null; batch = reader.next()) {
        count += batch.size();
      }
      assertThat(count).isEqualTo(100);
      state = reader.state();
    }
    assertThat(records(readAll(source, config(100, 42, false), incremental, state))).isEmpty();
    assertThat(records(readAll(source, config(150, 42, false), incremental, state))).hasSize(50);
    assertThat(records(readAll(source, config(100, 42, true), incremental, state))).hasSize(100);
  }

  static List<Object[]> records(List<RecordBatch> batches) {
    return batches.stream().flatMap(b -> b.records().stream()).toList();
  }
}
