package io.tributary.connector;

import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import tools.jackson.databind.node.ObjectNode;

/**
 * A destination connector: writes records into the operator's warehouse, database or bucket.
 *
 * <p>Stateless and thread-safe like {@link Source}; the runtime opens one {@link StreamWriter} per
 * stream and may write several streams at once.
 */
public interface Destination {

  ConnectorSpecification spec();

  /**
   * Same contract as {@link Source#check}: never throws for a bad configuration, answers promptly.
   */
  ConnectionStatus check(ObjectNode config);

  /**
   * Prepares to write one stream: creates what must exist (schema, staging area). Called from the
   * thread that will use the returned writer.
   *
   * @throws ConnectorException when the destination cannot be prepared
   */
  StreamWriter open(ObjectNode config, WriteTarget target);
}
