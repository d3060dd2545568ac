package io.tributary.connectors.faker;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.config.SpecifiedConnector;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.Field;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sample data: users, products and purchases, the same for the same seed and count. Incremental on
 * {@code updated_at}; with {@code always_updated} every sync sees every record as updated.
 */
public final class FakerSource extends SpecifiedConnector implements Source {

  public FakerSource() {
    super("source-faker");
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    int count = Config.integer(config, "count", 1000);
    return count < 0
        ? ConnectionStatus.failed("'count' must not be negative")
        : ConnectionStatus.succeeded();
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config) {
    return new AirbyteCatalog(
        FakeStream.all().stream()
            .map(
                stream ->
                    new AirbyteStream(
                        stream.streamName(),
                        null,
                        StreamSchema.jsonSchema(stream.fields()),
                        List.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL),
                        true,
                        List.of("updated_at"),
                        List.of(List.of("id")),
                        // a full refresh generates everything again: it cannot resume one
                        false))
            .toList());
  }

  @Override
  public StreamReader read(
      ObjectNode config, ConfiguredAirbyteStream configured, ReadContext context) {
    FakeStream stream =
        FakeStream.named(configured.stream().name())
            .orElseThrow(
                () ->
                    ConnectorException.config(
                        "Unknown stream '" + configured.stream().name() + "'"));
    long seed = Config.integer(config, "seed", -1);
    int count = Config.integer(config, "count", 1000);
    boolean alwaysUpdated = Config.bool(config, "always_updated", true);
    int batch =
        Math.max(
            1, Math.min(Config.integer(config, "records_per_slice", 1000), context.batchSize()));
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    OffsetDateTime after = null;
    if (configured.syncMode() == SyncMode.INCREMENTAL
        && context.state() != null
        && context.state().has("updated_at")) {
      after = OffsetDateTime.parse(context.state().get("updated_at").asString());
    }
    // Records follow the configured schema's field order, whatever order the catalog was stored in.
    List<String> generated = stream.fields().stream().map(Field::name).toList();
    int[] projection =
        StreamSchema.fields(configured.stream().jsonSchema()).stream()
            .mapToInt(
                field -> {
                  int index = generated.indexOf(field.name());
                  if (index < 0) {
                    throw ConnectorException.config(
                        "Field '" + field.name() + "' is not a field of " + stream.streamName());
                  }
                  return index;
                })
            .toArray();
    return new FakeReader(
        stream,
        new FakeData(seed < 0 ? 0 : seed, count, alwaysUpdated ? now : null),
        batch,
        after,
        context,
        projection);
  }
}
