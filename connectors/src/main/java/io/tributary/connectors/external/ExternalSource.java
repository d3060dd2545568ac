package io.tributary.connectors.external;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.external.ConnectorProcess.FileArgument;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.ConfiguredAirbyteCatalog;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import io.tributary.protocol.Field;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any Airbyte-protocol source, run as a child process ({@code <command> spec|check|discover|read
 * ...}). Each stream is read by its own process with a catalog of that stream alone.
 */
public final class ExternalSource implements Source {

  private final ConnectorCommand command;

  /**
   * @param egress where the configuration may point; checked before each run (the process itself is
   *     not confined)
   */
  public ExternalSource(List<String> command, Duration timeout, EgressPolicy egress) {
    this.command = new ConnectorCommand(command, timeout, egress);
  }

  @Override
  public ConnectorSpecification spec() {
    return command.spec();
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    return command.check(config);
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config) {
    try (ConnectorProcess process =
        command.start("discover", List.of(new FileArgument("--config", config)))) {
      return ConnectorProcess.JSON.treeToValue(
          process.expect("CATALOG", command.timeout()).get("catalog"), AirbyteCatalog.class);
    }
  }

  @Override
  public StreamReader read(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext context) {
    List<FileArgument> files = new ArrayList<>();
    files.add(new FileArgument("--config", config));
    files.add(
        new FileArgument(
            "--catalog",
            ConnectorProcess.JSON.valueToTree(new ConfiguredAirbyteCatalog(List.of(stream)))));
    if (context.state() != null) {
      ObjectNode state = ConnectorProcess.JSON.createObjectNode();
      state.put("type", "STREAM");
      ObjectNode streamState = state.putObject("stream");
      streamState.set("stream_descriptor", ConnectorProcess.JSON.valueToTree(stream.descriptor()));
      streamState.set("stream_state", context.state());
      files.add(new FileArgument("--state", ConnectorProcess.JSON.createArrayNode().add(state)));
    }
    return new Reader(
        command.start("read", files),
        StreamSchema.fields(stream.stream().jsonSchema()),
        stream.stream().name(),
        context);
  }

  /**
   * Batches end at the connector's STATE messages (or at the batch size), so {@link #state()}
   * always covers exactly the records returned so far.
   */
  private static final class Reader implements StreamReader {
    private final ConnectorProcess process;
    private final List<Field> fields;
    private final String stream;
    private final ReadContext context;
    private JsonNode state;
    private boolean ended;

    Reader(ConnectorProcess process, List<Field> fields, String stream, ReadContext context) {
      this.process = process;
      this.fields = fields;
      this.stream = stream;
      this.context = context;
    }

    @Override
    public RecordBatch next() {
      List<Object[]> records = new ArrayList<>();
      long bytes = 0;
      while (!ended && records.size() < context.batchSize() && !context.cancelled()) {
        JsonNode message = process.next();
        if (message == null) {
          ended = true;
          process.finish(Duration.ofSeconds(30));
          break;
        }
        switch (message.path("type").asString("")) {
          case "RECORD" -> {
            JsonNode record = message.get("record");
            if (!stream.equals(record.path("stream").asString())) {
              continue;
            }
            JsonNode data = record.get("data");
            Object[] values = new Object[fields.size()];
            for (int i = 0; i < values.length; i++) {
              Field field = fields.get(i);
              try {
                values[i] = Values.fromJson(field.type(), field.itemType(), data.get(field.name()));
              } catch (RuntimeException e) {
                throw new ConnectorException(
                    FailureType.SYSTEM_ERROR,
                    "Record of "
                        + stream
                        + " has an invalid '"
                        + field.name()
                        + "' for its declared type "
                        + field.type(),
                    e);
              }
            }
            records.add(values);
            bytes += data.size() * 16L;
          }
          case "STATE" -> {
            JsonNode streamState = message.path("state").path("stream").path("stream_state");
            state = streamState.isMissingNode() ? message.path("state").path("data") : streamState;
            if (!records.isEmpty()) {
              return new RecordBatch(records, bytes);
            }
          }
          default -> {}
        }
      }
      return records.isEmpty() ? null : new RecordBatch(records, bytes);
    }

    @Override
    public JsonNode state() {
      return state == null || state.isMissingNode() || state.isNull() ? null : state;
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
