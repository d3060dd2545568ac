package io.tributary.connectors.external;

import io.tributary.protocol.ConnectorSpecification;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * How to start an Airbyte-protocol connector's process and what it may see.
 *
 * @param command the executable and its first arguments; the protocol verb follows
 * @param environment variables this connector needs besides the small base every connector gets
 *     ({@code PATH}, {@code HOME} and {@code TMPDIR} in its own working directory, {@code LANG}):
 *     nothing of Tributary's own environment (master key, database URL, admin key) is passed on
 * @param injectedConfig fields added to every configuration the process is given, after the egress
 *     check (a declarative manifest rides in {@code __injected_declarative_manifest}), or null
 * @param spec the connector's specification when it is known already (asked at install) or the
 *     command cannot tell it (a declarative manifest's runner answers {@code spec} with a generic
 *     one), or null to ask the process: a run then starts without a {@code spec} run first
 * @param sandbox what the process runs inside
 */
public record ConnectorLaunch(
    List<String> command,
    Map<String, String> environment,
    ObjectNode injectedConfig,
    ConnectorSpecification spec,
    Sandbox sandbox) {

  public ConnectorLaunch {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    sandbox = sandbox == null ? new Sandbox.None() : sandbox;
  }

  /** A launch without a sandbox. */
  public ConnectorLaunch(
      List<String> command,
      Map<String, String> environment,
      ObjectNode injectedConfig,
      ConnectorSpecification spec) {
    this(command, environment, injectedConfig, spec, null);
  }

  /** The same launch with its specification known. */
  public ConnectorLaunch withSpec(ConnectorSpecification known) {
    return new ConnectorLaunch(
        command, environment, injectedConfig, spec != null ? spec : known, sandbox);
  }

  /** The same launch, run inside {@code inside}. */
  public ConnectorLaunch withSandbox(Sandbox inside) {
    return new ConnectorLaunch(command, environment, injectedConfig, spec, inside);
  }

  /**
   * The same launch with variables the operator gives every connector ({@code
   * TRIBUTARY_CONNECTOR_ENVIRONMENT}: a proxy, a CA bundle, a cache directory); the runtime's own
   * variables win.
   */
  public ConnectorLaunch withEnvironment(Map<String, String> operators) {
    Map<String, String> merged = new java.util.HashMap<>(operators);
    merged.putAll(environment);
    return new ConnectorLaunch(command, merged, injectedConfig, spec, sandbox);
  }

  /** A command that needs nothing but the base environment. */
  public static ConnectorLaunch of(List<String> command) {
    return new ConnectorLaunch(command, Map.of(), null, null);
  }
}
