package io.tributary.definition;

import io.tributary.connectors.external.ConnectorLaunch;
import io.tributary.connectors.python.PythonEnvironments;
import io.tributary.protocol.ConnectorSpecification;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the Python runtimes into processes to launch: a package runs its own console script from
 * its virtual environment; a declarative manifest runs the shared, pinned {@code airbyte-cdk}'s
 * {@code source-declarative-manifest} with the manifest injected into its configuration, as
 * Airbyte's platform does. An environment missing on this node (installed by another) is installed
 * on first use.
 */
final class PythonLaunches {

  static final String CDK = "airbyte-cdk";
  static final String MANIFEST_RUNNER = "source-declarative-manifest";

  private final PythonEnvironments environments;
  private final String cdkVersion;
  private final boolean customCode;

  /**
   * @param customCode whether manifests may run custom Python components (the operator's choice)
   */
  PythonLaunches(PythonEnvironments environments, String cdkVersion, boolean customCode) {
    this.environments = environments;
    this.cdkVersion = cdkVersion;
    this.customCode = customCode;
  }

  PythonEnvironments environments() {
    return environments;
  }

  String cdkVersion() {
    return cdkVersion;
  }

  boolean customCode() {
    return customCode;
  }

  ConnectorLaunch launch(ConnectorRuntime.PythonPackage runtime, Consumer<String> log) {
    var installed =
        environments.install(runtime.packageName(), runtime.version(), runtime.entryPoint(), log);
    return ConnectorLaunch.of(java.util.List.of(installed.executable().toString()));
  }

  ConnectorLaunch launch(ConnectorRuntime.Manifest runtime, Consumer<String> log) {
    var cdk = environments.install(CDK, cdkVersion, MANIFEST_RUNNER, log);
    ObjectNode injected = JsonNodeFactory.instance.objectNode();
    injected.set("__injected_declarative_manifest", runtime.manifest());
    Map<String, String> environment = Map.of();
    if (runtime.components() != null) {
      if (!customCode) {
        throw new IllegalStateException(
            "This manifest has custom Python components, which this instance does not run"
                + " (TRIBUTARY_ALLOW_CUSTOM_CONNECTOR_CODE)");
      }
      injected.put("__injected_components_py", runtime.components());
      environment = Map.of("AIRBYTE_ENABLE_UNSAFE_CODE", "true");
    }
    return new ConnectorLaunch(
        java.util.List.of(cdk.executable().toString()),
        environment,
        injected,
        specOf(runtime.manifest()));
  }

  /**
   * A manifest's own specification ({@code spec.connection_specification}): the runner's {@code
   * spec} answers with a generic one.
   */
  static ConnectorSpecification specOf(JsonNode manifest) {
    JsonNode spec = manifest.path("spec");
    JsonNode schema = spec.path("connection_specification");
    return new ConnectorSpecification(
        spec.path("documentation_url").asString(null),
        schema instanceof ObjectNode object
            ? object
            : JsonNodeFactory.instance.objectNode().put("type", "object"),
        null,
        null,
        spec.path("advanced_auth") instanceof ObjectNode advancedAuth ? advancedAuth : null);
  }
}
