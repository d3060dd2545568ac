package io.tributary.sync;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A destination whose opens, commits and swaps happen only while the sync's job is still this
 * worker's: a worker that lost its job (paused past its lease, cut off from Tributary's database)
 * while another runs it again would otherwise publish rows and state over the new attempt's. Each
 * commit renews the lease first, which the sweep then honours for {@code
 * tributary.abandoned-after}, far longer than a commit takes.
 */
final class LeasedDestination implements Destination {

  private final Destination destination;
  private final BooleanSupplier renewLease;

  LeasedDestination(Destination destination, BooleanSupplier renewLease) {
    this.destination = destination;
    this.renewLease = renewLease;
  }

  @Override
  public ConnectorSpecification spec() {
    return destination.spec();
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    return destination.check(config);
  }

  /** Opening may change the destination too (it empties an overwrite's stale staging). */
  @Override
  public StreamWriter open(ObjectNode config, WriteTarget target) {
    stillOurs();
    return new Writer(destination.open(config, target));
  }

  private void stillOurs() {
    if (!renewLease.getAsBoolean()) {
      throw ConnectorException.transientError(
          "This worker lost the sync's job to another; nothing more was committed", null);
    }
  }

  private final class Writer implements StreamWriter {
    private final StreamWriter writer;

    Writer(StreamWriter writer) {
      this.writer = writer;
    }

    @Override
    public JsonNode committedState() {
      return writer.committedState();
    }

    @Override
    public RowFormat rowFormat() {
      return writer.rowFormat();
    }

    @Override
    public void write(RecordBatch batch) {
      writer.write(batch);
    }

    @Override
    public void commit(JsonNode state) {
      stillOurs();
      writer.commit(state);
    }

    @Override
    public void complete() {
      stillOurs();
      writer.complete();
    }

    @Override
    public boolean commitsWhenAsked() {
      return writer.commitsWhenAsked();
    }

    @Override
    public List<JsonNode> acknowledged() {
      return writer.acknowledged();
    }

    @Override
    public void close() {
      writer.close();
    }
  }
}
