package io.tributary.connectors.external;

import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.external.ConnectorProcess.FileArgument;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteCatalog;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import io.tributary.protocol.Values;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any Airbyte-protocol destination, run as a child process ({@code <command> write ...}) fed record
 * messages on stdin. A commit sends the state and waits for the destination to echo it, which by
 * the protocol means it has committed every record before it. Such destinations keep no state
 * Tributary can read back, so {@link StreamWriter#committedState()} is null and the runtime resumes
 * from the states it stored.
 */
public final class ExternalDestination extends ProcessConnector implements Destination {

  public ExternalDestination(ConnectorLaunch launch, Duration timeout, EgressPolicy egress) {
    super(launch, timeout, egress);
  }

  public ExternalDestination(List<String> command, Duration timeout, EgressPolicy egress) {
    this(ConnectorLaunch.of(command), timeout, egress);
  }

  @Override
  public StreamWriter open(ObjectNode config, WriteTarget target) {
    AirbyteStream stream =
        new AirbyteStream(
            target.name(),
            target.namespace(),
            StreamSchema.jsonSchema(target.fields()),
            List.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL),
            null,
            target.cursorField(),
            target.primaryKey(),
            null);
    var configured =
        new ConfiguredAirbyteStream(
            stream,
            SyncMode.FULL_REFRESH,
            target.mode(),
            target.cursorField(),
            target.primaryKey());
    ConnectorProcess process =
        command.start(
            "write",
            List.of(
                new FileArgument("--config", config),
                new FileArgument(
                    "--catalog",
                    ConnectorProcess.JSON.valueToTree(
                        new ConfiguredAirbyteCatalog(List.of(configured))))));
    return new Writer(process, target, command.timeout());
  }

  private static final class Writer implements StreamWriter {
    private final ConnectorProcess process;
    private final WriteTarget target;
    private final Duration timeout;
    private final long emittedAt = System.currentTimeMillis();
    private int commits;

    Writer(ConnectorProcess process, WriteTarget target, Duration timeout) {
      this.process = process;
      this.target = target;
      this.timeout = timeout;
    }

    @Override
    public JsonNode committedState() {
      return null;
    }

    @Override
    public void write(RecordBatch batch) {
      for (Object[] values : batch.records()) {
        ObjectNode message = ConnectorProcess.JSON.createObjectNode().put("type", "RECORD");
        ObjectNode record = message.putObject("record");
        record.put("stream", target.name());
        if (target.namespace() != null) {
          record.put("namespace", target.namespace());
        }
        record.set("data", Values.toJson(target.fields(), values));
        record.put("emitted_at", emittedAt);
        process.send(message);
      }
    }

    @Override
    public void commit(JsonNode state) {
      ObjectNode message = ConnectorProcess.JSON.createObjectNode().put("type", "STATE");
      ObjectNode body = message.putObject("state");
      body.put("type", "STREAM");
      ObjectNode stream = body.putObject("stream");
      ObjectNode descriptor = stream.putObject("stream_descriptor").put("name", target.name());
      if (target.namespace() != null) {
        descriptor.put("namespace", target.namespace());
      }
      // A marker makes the echo of this very commit recognisable, even when the source state
      // repeats.
      ObjectNode marked = ConnectorProcess.JSON.createObjectNode();
      marked.put("tributary_commit", ++commits);
      marked.set("source_state", state);
      stream.set("stream_state", marked);
      process.send(message);
      process.flush();
      while (true) {
        JsonNode echo = process.expect("STATE", timeout);
        if (echo.path("state")
                .path("stream")
                .path("stream_state")
                .path("tributary_commit")
                .asInt(-1)
            == commits) {
          return;
        }
      }
    }

    @Override
    public void complete() {
      process.finish(timeout);
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
