package io.tributary.connectors.config;

import io.tributary.protocol.ConnectorSpecification;

/** A built-in source or destination: its spec, loaded by name from the connector's resources. */
public abstract class SpecifiedConnector {

  private final ConnectorSpecification spec;

  /**
   * @param connector the spec's name, e.g. {@code source-mysql}
   */
  protected SpecifiedConnector(String connector) {
    this.spec = Specs.load(connector);
  }

  public ConnectorSpecification spec() {
    return spec;
  }
}
