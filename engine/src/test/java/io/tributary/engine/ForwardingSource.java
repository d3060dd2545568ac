package io.tributary.engine;

import io.tributary.connector.Source;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import tools.jackson.databind.node.ObjectNode;

/** A real source with everything passed on; a test overrides {@code read} to watch the reads. */
abstract class ForwardingSource implements Source {

  final Source source;

  ForwardingSource(Source source) {
    this.source = source;
  }

  @Override
  public ConnectorSpecification spec() {
    return source.spec();
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    return source.check(config);
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config) {
    return source.discover(config);
  }
}
