package io.tributary.connectors.external;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a running connector says besides its records and states: its logs, its traces (estimates,
 * stream statuses) and a configuration it replaced. Called on the thread reading the connector.
 */
interface ProtocolEvents {

  ProtocolEvents NONE = new ProtocolEvents() {};

  /**
   * @param message already scrubbed of the configuration's secrets
   */
  default void log(String level, String message) {}

  /** A TRACE message other than an error (which fails the run instead). */
  default void trace(JsonNode trace) {}

  /** A CONTROL {@code connectorConfig} message: the connector's new configuration. */
  default void configChanged(ObjectNode config) {}
}
