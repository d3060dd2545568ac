package io.tributary.connector;

import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * A source connector: reads records out of a system an end user connects.
 *
 * <p>An implementation is stateless and thread-safe: the runtime may call any method from any
 * thread, and runs several reads (one per stream) at once. Everything a read needs to resume comes
 * from its {@link ReadContext}; a source never stores its own progress. Configurations have passed
 * the spec's validation before they get here.
 */
public interface Source {

  /** The configuration this source takes. Called often; cheap. */
  ConnectorSpecification spec();

  /**
   * Whether the configuration works: the system is reachable and the credentials are accepted.
   * Returns within {@code timeout}-ish seconds of wall time and never throws for a bad
   * configuration: a failed status carries a message a user can act on ("password authentication
   * failed for user bob", "unknown host db.example").
   */
  ConnectionStatus check(ObjectNode config);

  /**
   * The streams this configuration can read, with their schemas, keys and cursors.
   *
   * @throws ConnectorException when the system cannot be reached or the configuration is refused
   */
  AirbyteCatalog discover(ObjectNode config);

  /**
   * {@link #check(ObjectNode)}, telling {@code configChanged} of a configuration the connector
   * replaced its own with on the way (Airbyte's CONTROL {@code connectorConfig}: a refreshed OAuth
   * token, whose predecessor the provider may no longer honour). Sources that never change their
   * configuration need not override it.
   */
  default ConnectionStatus check(ObjectNode config, Consumer<ObjectNode> configChanged) {
    return check(config);
  }

  /** {@link #discover(ObjectNode)}, telling {@code configChanged} as {@link #check} does. */
  default AirbyteCatalog discover(ObjectNode config, Consumer<ObjectNode> configChanged) {
    return discover(config);
  }

  /**
   * Starts reading one stream. Called from the thread that will then poll the returned reader.
   *
   * @param stream the stream as configured for this sync; its {@code stream.json_schema} names the
   *     fields the returned reader emits, in order
   * @throws ConnectorException when the read cannot start
   */
  StreamReader read(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext context);
}
