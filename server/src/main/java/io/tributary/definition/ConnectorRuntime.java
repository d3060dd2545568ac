package io.tributary.definition;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** How a definition's connector runs; the registry builds each kind with its own factory. */
public sealed interface ConnectorRuntime {

  /**
   * The runtime's name in the API: {@code builtin}, {@code command}, {@code python}, {@code
   * manifest}.
   */
  String kind();

  /**
   * A connector built into Tributary.
   *
   * @param implementation its class name, as {@code implementation} in its definition file names it
   *     (null when the file names none: the definition is listed but cannot run)
   */
  record BuiltIn(String implementation) implements ConnectorRuntime {
    @Override
    public String kind() {
      return "builtin";
    }
  }

  /**
   * An Airbyte-protocol connector the instance admin registered, run as a child process by this
   * command.
   */
  record Command(List<String> command) implements ConnectorRuntime {

    public Command {
      command = List.copyOf(command);
    }

    @Override
    public String kind() {
      return "command";
    }
  }

  /**
   * An Airbyte connector published on PyPI ({@code airbyte-source-faker}), run from a virtual
   * environment of its own.
   *
   * @param entryPoint the console script that runs it
   */
  record PythonPackage(String packageName, String version, String entryPoint)
      implements ConnectorRuntime {
    @Override
    public String kind() {
      return "python";
    }
  }

  /**
   * A declarative (low-code) source: its manifest, run by the shared {@code airbyte-cdk}'s {@code
   * source-declarative-manifest}.
   *
   * @param components the manifest's custom Python components, or null (run only where the operator
   *     allows custom code)
   */
  record Manifest(ObjectNode manifest, String components) implements ConnectorRuntime {
    @Override
    public String kind() {
      return "manifest";
    }
  }
}
