package io.tributary.connector;

import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import tools.jackson.databind.node.ObjectNode;

/**
 * A destination that hands every call to another. Extend it to change how streams are opened (a
 * fence before each, a writer that watches its writes) without restating the rest.
 */
public abstract class ForwardingDestination implements Destination {

  private final Destination destination;

  protected ForwardingDestination(Destination destination) {
    this.destination = destination;
  }

  @Override
  public ConnectorSpecification spec() {
    return destination.spec();
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    return destination.check(config);
  }

  @Override
  public StreamWriter open(ObjectNode config, WriteTarget target) {
    return destination.open(config, target);
  }
}
