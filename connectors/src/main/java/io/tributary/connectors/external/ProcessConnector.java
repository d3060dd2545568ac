package io.tributary.connectors.external;

import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import java.time.Duration;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a source and a destination run as child processes share: how they start, and the verbs
 * {@code spec} and {@code check}.
 */
abstract sealed class ProcessConnector permits ExternalSource, ExternalDestination {

  final ConnectorLaunch launch;
  final ConnectorCommand command;

  /**
   * @param egress where the configuration may point; checked before each run (the process itself is
   *     not confined)
   */
  ProcessConnector(ConnectorLaunch launch, Duration timeout, EgressPolicy egress) {
    this.launch = launch;
    this.command = new ConnectorCommand(launch, timeout, egress);
  }

  public ConnectorSpecification spec() {
    return command.spec();
  }

  public ConnectionStatus check(ObjectNode config) {
    return command.check(config);
  }

  public ConnectionStatus check(ObjectNode config, Consumer<ObjectNode> configChanged) {
    return command.check(config, configChanged);
  }
}
