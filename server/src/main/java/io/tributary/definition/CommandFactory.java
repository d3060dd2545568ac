package io.tributary.definition;

import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.external.ExternalDestination;
import io.tributary.connectors.external.ExternalSource;
import java.time.Duration;
import java.util.List;

/**
 * Builds connectors run as a command: each call starts the process, bounded by the timeout, under
 * the egress policy.
 */
final class CommandFactory {

  private final Duration timeout;
  private final EgressPolicy egress;

  CommandFactory(Duration timeout, EgressPolicy egress) {
    this.timeout = timeout;
    this.egress = egress;
  }

  ExternalSource source(List<String> command) {
    return new ExternalSource(command, timeout, egress);
  }

  ExternalDestination destination(List<String> command) {
    return new ExternalDestination(command, timeout, egress);
  }
}
