package io.tributary.connectors.external;

import io.tributary.connector.ConnectorException;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.external.ConnectorProcess.FileArgument;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The command that runs one Airbyte-protocol connector, and the verbs sources and destinations
 * share ({@code spec}, {@code check}). Remembers which configuration fields the spec marks secret,
 * so that no run of the connector shows their values in a log or a failure.
 */
final class ConnectorCommand {

  private final ConnectorLaunch launch;
  private final Duration timeout;
  private final EgressPolicy egress;
  private volatile Set<String> secretKeys;

  ConnectorCommand(ConnectorLaunch launch, Duration timeout, EgressPolicy egress) {
    this.launch = launch;
    this.timeout = timeout;
    this.egress = egress;
  }

  Duration timeout() {
    return timeout;
  }

  ConnectorSpecification spec() {
    if (launch.spec() != null) {
      secretKeys = OutputTail.secretKeys(launch.spec().connectionSpecification());
      return launch.spec();
    }
    try (ConnectorProcess process = ConnectorProcess.start(launch, "spec", List.of(), Set.of())) {
      ConnectorSpecification spec =
          ConnectorProcess.JSON.treeToValue(
              process.expect("SPEC", timeout).get("spec"), ConnectorSpecification.class);
      secretKeys = OutputTail.secretKeys(spec.connectionSpecification());
      return spec;
    }
  }

  ConnectionStatus check(ObjectNode config) {
    return check(config, changed -> {});
  }

  ConnectionStatus check(ObjectNode config, Consumer<ObjectNode> configChanged) {
    try (ConnectorProcess process = start("check", List.of(new FileArgument("--config", config)))) {
      process.listen(configChanges(process, configChanged));
      JsonNode status = process.expect("CONNECTION_STATUS", timeout).get("connectionStatus");
      return "SUCCEEDED".equals(status.path("status").asString())
          ? ConnectionStatus.succeeded()
          : ConnectionStatus.failed(
              // a connector's own words may quote its secrets (a URL with ?api_key=... in an error)
              process.scrub(
                  status.path("message").asString("the connector refused the configuration")));
    } catch (ConnectorException e) {
      return ConnectionStatus.failed(e.getMessage());
    }
  }

  /**
   * Starts a run; the hosts and URLs its configuration names must pass the egress policy first (see
   * ConfigTargets).
   */
  ConnectorProcess start(String verb, List<FileArgument> files) {
    List<FileArgument> given = new ArrayList<>();
    for (FileArgument file : files) {
      if (file.flag().equals("--config")) {
        ConfigTargets.check(egress, file.content());
        if (launch.injectedConfig() != null) {
          ObjectNode config = ((ObjectNode) file.content()).deepCopy();
          config.setAll(launch.injectedConfig());
          file = new FileArgument(file.flag(), config);
        }
      }
      given.add(file);
    }
    return ConnectorProcess.start(launch, verb, given, secretKeys());
  }

  /**
   * Events that pass a CONTROL {@code connectorConfig} on as the connector's own configuration:
   * without what the launch injected (a manifest), its new secrets scrubbed from the output.
   */
  ProtocolEvents configChanges(ConnectorProcess process, Consumer<ObjectNode> configChanged) {
    return new ProtocolEvents() {
      @Override
      public void configChanged(ObjectNode config) {
        process.addSecrets(config, secretKeys());
        configChanged.accept(ownPart(config));
      }
    };
  }

  /** A configuration the connector reported, without what the launch injected into it. */
  ObjectNode ownPart(ObjectNode config) {
    ObjectNode own = config.deepCopy();
    if (launch.injectedConfig() != null) {
      launch.injectedConfig().propertyNames().forEach(own::remove);
    }
    return own;
  }

  /** The fields whose values the connector's output must never show, from its spec (asked once). */
  Set<String> secretKeys() {
    if (secretKeys == null) {
      try {
        spec();
      } catch (RuntimeException e) {
        // a connector that cannot say its spec still runs; the key-name rules of OutputTail still
        // apply
        secretKeys = Set.of();
      }
    }
    return secretKeys;
  }
}
