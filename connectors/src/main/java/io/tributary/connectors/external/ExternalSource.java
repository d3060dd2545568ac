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
import io.tributary.protocol.Field;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any Airbyte-protocol source, run as a child process ({@code <command> spec|check|discover|read
 * ...}). Each stream is read by its own process with a catalog of that stream alone.
 *
 * <p>A read speaks the whole protocol: RECORD messages are parsed as they stream by, straight into
 * batches; STATE of every type (STREAM, GLOBAL, LEGACY) becomes the stream's resume point; LOG goes
 * to the job log with its level; TRACE errors fail the read with the connector's message and
 * failure type, estimates and stream statuses reach the job; a CONTROL {@code connectorConfig}
 * hands the connector's new configuration to the runtime.
 */
public final class ExternalSource extends ProcessConnector implements Source {

  /**
   * Wraps a GLOBAL or LEGACY state message kept as a stream's state, so that the next read passes
   * it back as it came.
   */
  static final String AIRBYTE_STATE = "airbyte_state_message";

  public ExternalSource(ConnectorLaunch launch, Duration timeout, EgressPolicy egress) {
    super(launch, timeout, egress);
  }

  public ExternalSource(List<String> command, Duration timeout, EgressPolicy egress) {
    this(ConnectorLaunch.of(command), timeout, egress);
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config) {
    return discover(config, changed -> {});
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config, Consumer<ObjectNode> configChanged) {
    try (ConnectorProcess process =
        command.start("discover", List.of(new FileArgument("--config", config)))) {
      process.listen(command.configChanges(process, configChanged));
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
    files.add(new FileArgument("--state", stateArgument(stream, context.state())));
    ConnectorProcess process = command.start("read", files);
    process.listen(new Events(process, stream.stream().name(), context));
    return new Reader(process, StreamSchema.fields(stream.stream().jsonSchema()), stream, context);
  }

  /**
   * The {@code --state} argument: always given (an empty list on a first read), as some connectors
   * require it.
   */
  private static JsonNode stateArgument(ConfiguredAirbyteStream stream, JsonNode saved) {
    ArrayNode states = ConnectorProcess.JSON.createArrayNode();
    if (saved == null) {
      return states;
    }
    if (saved.has(AIRBYTE_STATE)) {
      return states.add(saved.get(AIRBYTE_STATE));
    }
    ObjectNode state = states.addObject();
    state.put("type", "STREAM");
    ObjectNode streamState = state.putObject("stream");
    streamState.set("stream_descriptor", ConnectorProcess.JSON.valueToTree(stream.descriptor()));
    streamState.set("stream_state", saved);
    return states;
  }

  /** A state message as the resume point of one stream, or null when it is about another. */
  private static JsonNode resumePoint(JsonNode state, String stream) {
    String type = state.path("type").asString(state.has("data") ? "LEGACY" : "STREAM");
    if (type.equals("STREAM")) {
      JsonNode streamState = state.path("stream");
      if (!stream.equals(streamState.path("stream_descriptor").path("name").asString(stream))) {
        return null;
      }
      JsonNode resume = streamState.path("stream_state");
      return resume.isMissingNode() || resume.isNull() ? null : resume;
    }
    ObjectNode wrapped = ConnectorProcess.JSON.createObjectNode();
    ObjectNode kept = wrapped.putObject(AIRBYTE_STATE);
    state.properties().stream()
        .filter(field -> !field.getKey().equals("sourceStats"))
        .forEach(field -> kept.set(field.getKey(), field.getValue()));
    return wrapped;
  }

  /** What the connector says besides records and states, passed on to the read's context. */
  private final class Events implements ProtocolEvents {
    private final ConnectorProcess process;
    private final String stream;
    private final ReadContext context;

    Events(ConnectorProcess process, String stream, ReadContext context) {
      this.process = process;
      this.stream = stream;
      this.context = context;
    }

    @Override
    public void log(String level, String message) {
      context.log(level, message);
    }

    @Override
    public void trace(JsonNode trace) {
      switch (trace.path("type").asString("")) {
        case "ESTIMATE" -> {
          JsonNode estimate = trace.path("estimate");
          if (stream.equals(estimate.path("name").asString(stream))) {
            context.estimate(
                estimate.path("row_estimate").asLong(0), estimate.path("byte_estimate").asLong(0));
          }
        }
        case "STREAM_STATUS" ->
            context.log(
                "INFO",
                "Stream status: "
                    + trace.path("stream_status").path("status").asString("")
                    + reasons(trace.path("stream_status").path("reasons")));
        default -> {}
      }
    }

    private static String reasons(JsonNode reasons) {
      return reasons.isArray() && !reasons.isEmpty() ? " " + reasons : "";
    }

    @Override
    public void configChanged(ObjectNode config) {
      process.addSecrets(config, command.secretKeys());
      context.configChanged(command.ownPart(config));
    }
  }

  /**
   * Batches end at the connector's STATE messages (or at the batch size), so {@link #state()}
   * always covers exactly the records returned so far.
   */
  private static final class Reader implements StreamReader, ConnectorProcess.RecordParser {
    private final ConnectorProcess process;
    private final List<Field> fields;
    private final Map<String, Integer> positions = new HashMap<>();
    private final String stream;
    private final ReadContext context;
    private final List<Object[]> records = new ArrayList<>();
    private long bytes;
    private JsonNode state;
    private boolean ended;

    Reader(
        ConnectorProcess process,
        List<Field> fields,
        ConfiguredAirbyteStream stream,
        ReadContext context) {
      this.process = process;
      this.fields = fields;
      for (int i = 0; i < fields.size(); i++) {
        positions.put(fields.get(i).name(), i);
      }
      this.stream = stream.stream().name();
      this.context = context;
    }

    @Override
    public RecordBatch next() {
      while (!ended && records.size() < context.batchSize() && !context.cancelled()) {
        JsonNode message = process.next(this);
        if (message == null) {
          ended = true;
          process.finish(Duration.ofSeconds(30));
          break;
        }
        if (message.path("type").asString("").equals("STATE")) {
          JsonNode resume = resumePoint(message.path("state"), stream);
          if (resume != null) {
            state = resume;
            if (!records.isEmpty()) {
              return batch();
            }
          }
        }
      }
      return records.isEmpty() ? null : batch();
    }

    private RecordBatch batch() {
      RecordBatch batch = new RecordBatch(new ArrayList<>(records), bytes);
      records.clear();
      bytes = 0;
      return batch;
    }

    /** One RECORD's {@code record} object, its {@code data} read field by field into values. */
    @Override
    public void parse(JsonParser parser) {
      Object[] values = new Object[fields.size()];
      String recordStream = null;
      long start = parser.currentLocation().getCharOffset();
      for (String name = parser.nextName(); name != null; name = parser.nextName()) {
        JsonToken token = parser.nextToken();
        switch (name) {
          case "stream" -> recordStream = parser.getString();
          case "data" -> {
            if (token != JsonToken.START_OBJECT) {
              parser.skipChildren();
              continue;
            }
            for (String field = parser.nextName(); field != null; field = parser.nextName()) {
              parser.nextToken();
              Integer position = positions.get(field);
              if (position == null) {
                parser.skipChildren();
              } else {
                values[position] = value(fields.get(position), parser.readValueAsTree());
              }
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (stream.equals(recordStream)) {
        records.add(values);
        bytes += Math.max(16, parser.currentLocation().getCharOffset() - start);
      }
    }

    private Object value(Field field, JsonNode node) {
      try {
        return Values.fromJson(field.type(), field.itemType(), node);
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

    @Override
    public JsonNode state() {
      return state;
    }

    /** A connector that prints nothing keeps {@code next()} reading: ending it ends the read. */
    @Override
    public void abort() {
      process.kill();
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
