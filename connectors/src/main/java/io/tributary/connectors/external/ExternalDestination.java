package io.tributary.connectors.external;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.FailureType;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
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

  /**
   * Feeds one stream to the destination process. Its output is read all along by a thread of its
   * own (the process must never block writing while this writes to it): echoed states wait there
   * until the engine asks for them ({@link #acknowledged()}), so a destination that flushes on its
   * own schedule (at a batch size, or only at the end of its input) acknowledges when it has
   * flushed, and only then is a state stored.
   */
  private static final class Writer implements StreamWriter {
    private final ConnectorProcess process;
    private final WriteTarget target;
    private final Duration timeout;
    private final long emittedAt = System.currentTimeMillis();
    private final Queue<JsonNode> echoed = new ConcurrentLinkedQueue<>();
    private final Thread output;
    private volatile RuntimeException failure;
    private int commits;

    Writer(ConnectorProcess process, WriteTarget target, Duration timeout) {
      this.process = process;
      this.target = target;
      this.timeout = timeout;
      this.output =
          Thread.ofPlatform().daemon().name("destination-" + target.name()).start(this::readOutput);
    }

    private void readOutput() {
      try {
        for (JsonNode message = process.next(); message != null; message = process.next()) {
          JsonNode marked = state(message).path("stream").path("stream_state");
          if (marked.has("tributary_commit")) {
            echoed.add(marked.path("source_state"));
          }
        }
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    /**
     * The state a message echoes: a STATE message's, or the message itself where a destination
     * prints the bare state (destination-pgvector 0.1.x writes {@code {"type": "STREAM", ...}}).
     */
    private static JsonNode state(JsonNode message) {
      return switch (message.path("type").asString("")) {
        case "STATE" -> message.path("state");
        case "STREAM", "GLOBAL", "LEGACY" -> message;
        default -> MissingNode.getInstance();
      };
    }

    @Override
    public JsonNode committedState() {
      return null;
    }

    @Override
    public boolean commitsWhenAsked() {
      return false;
    }

    @Override
    public List<JsonNode> acknowledged() {
      List<JsonNode> states = new ArrayList<>();
      for (JsonNode state = echoed.poll(); state != null; state = echoed.poll()) {
        states.add(state);
      }
      return states;
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
        send(message);
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
      send(message);
      try {
        process.flush();
      } catch (ConnectorException e) {
        throw failure != null ? failure : e;
      }
    }

    /** Ends the input, waits for the last echoes, and fails if the destination did. */
    @Override
    public void complete() {
      process.closeInput();
      try {
        if (!output.join(timeout)) {
          throw new ConnectorException(
              FailureType.TRANSIENT_ERROR,
              "The destination did not finish within " + timeout.toSeconds() + " seconds");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ConnectorException.transientError("Interrupted waiting for the destination", e);
      }
      if (failure != null) {
        throw failure;
      }
      process.finish(timeout);
    }

    /** A write the destination refused because it died says why it died. */
    private void send(JsonNode message) {
      if (failure != null) {
        throw failure;
      }
      try {
        process.send(message);
      } catch (ConnectorException e) {
        throw failure != null ? failure : e;
      }
    }

    /** Stops the process: a write blocked on its full input then fails. */
    @Override
    public void abort() {
      process.close();
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
