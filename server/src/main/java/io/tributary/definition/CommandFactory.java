package io.tributary.definition;

import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.external.ConnectorLaunch;
import io.tributary.connectors.external.ExternalDestination;
import io.tributary.connectors.external.ExternalSource;
import io.tributary.connectors.external.Sandbox;
import io.tributary.protocol.ConnectorSpecification;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the connectors that run as child processes (a registered command, a Python package, a
 * declarative manifest): each call starts the process, bounded by the timeout, under the egress
 * policy.
 */
final class CommandFactory {

  private static final Logger log = LoggerFactory.getLogger(CommandFactory.class);
  private static final JsonMapper SPEC = JsonMapper.builder().build();

  private final Duration timeout;
  private final EgressPolicy egress;
  private final PythonLaunches python;
  private final Map<String, String> environment;
  private final Sandbox sandbox;

  /**
   * @param environment variables the operator gives every connector process
   * @param sandbox what every connector process runs inside
   */
  CommandFactory(
      Duration timeout,
      EgressPolicy egress,
      PythonLaunches python,
      Map<String, String> environment,
      Sandbox sandbox) {
    this.timeout = timeout;
    this.egress = egress;
    this.python = python;
    this.environment = Map.copyOf(environment);
    this.sandbox = sandbox;
  }

  /**
   * {@code NAME=value,NAME=value}, as {@code TRIBUTARY_CONNECTOR_ENVIRONMENT} gives them.
   *
   * @throws IllegalArgumentException for an entry without a name
   */
  static Map<String, String> environment(String setting) {
    Map<String, String> variables = new java.util.LinkedHashMap<>();
    for (String entry : setting.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            "TRIBUTARY_CONNECTOR_ENVIRONMENT: '" + entry.strip() + "' is not NAME=value");
      }
      variables.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
    }
    return variables;
  }

  /** A new connector's source; asks the process for its spec. */
  ExternalSource source(ConnectorRuntime runtime) {
    return new ExternalSource(launch(runtime, log::info), timeout, egress);
  }

  ExternalDestination destination(ConnectorRuntime runtime) {
    return new ExternalDestination(launch(runtime, log::info), timeout, egress);
  }

  /**
   * An installed connector's source: its spec is the one stored with its definition, so no run
   * starts with a {@code spec} run first.
   */
  ExternalSource source(ConnectorDefinition definition) {
    return new ExternalSource(launch(definition), timeout, egress);
  }

  ExternalDestination destination(ConnectorDefinition definition) {
    return new ExternalDestination(launch(definition), timeout, egress);
  }

  private ConnectorLaunch launch(ConnectorDefinition definition) {
    return launch(definition.runtime(), log::info)
        .withSpec(SPEC.treeToValue(definition.spec(), ConnectorSpecification.class));
  }

  /**
   * How to start the runtime's process; installs its Python environment first when this node has
   * none yet, telling {@code progress} what pip says.
   */
  ConnectorLaunch launch(ConnectorRuntime runtime, Consumer<String> progress) {
    ConnectorLaunch launch =
        switch (runtime) {
          case ConnectorRuntime.Command command -> ConnectorLaunch.of(command.command());
          case ConnectorRuntime.PythonPackage pkg -> python.launch(pkg, progress);
          case ConnectorRuntime.Manifest manifest -> python.launch(manifest, progress);
          case ConnectorRuntime.BuiltIn builtIn ->
              throw new IllegalArgumentException("A built-in connector runs in process");
        };
    return launch.withEnvironment(environment).withSandbox(sandbox);
  }

  Duration timeout() {
    return timeout;
  }

  EgressPolicy egress() {
    return egress;
  }

  PythonLaunches python() {
    return python;
  }
}
