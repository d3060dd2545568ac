package io.tributary.sync;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.ForwardingDestination;
import io.tributary.connector.ForwardingStreamWriter;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A destination whose opens, commits and swaps happen only while the sync's job is still this
 * worker's: a worker that lost its job (paused past its lease, cut off from Tributary's database)
 * while another runs it again would otherwise publish rows and state over the new attempt's. Each
 * of them first makes sure the lease was renewed within half of {@code tributary.abandoned-after}
 * (renewing it when not), so no other worker may take the job for at least the other half, far
 * longer than a commit takes.
 */
final class LeasedDestination extends ForwardingDestination {

  private final BooleanSupplier renewLease;

  LeasedDestination(Destination destination, BooleanSupplier renewLease) {
    super(destination);
    this.renewLease = renewLease;
  }

  /** Opening may change the destination too (it empties an overwrite's stale staging). */
  @Override
  public StreamWriter open(ObjectNode config, WriteTarget target) {
    stillOurs();
    return new Writer(super.open(config, target));
  }

  private void stillOurs() {
    if (!renewLease.getAsBoolean()) {
      throw ConnectorException.transientError(
          "This worker could not confirm it still holds the sync's job (another may run it now);"
              + " nothing more was committed",
          null);
    }
  }

  private final class Writer extends ForwardingStreamWriter {

    Writer(StreamWriter writer) {
      super(writer);
    }

    @Override
    public void commit(JsonNode state) {
      stillOurs();
      super.commit(state);
    }

    @Override
    public void complete() {
      stillOurs();
      super.complete();
    }
  }
}
