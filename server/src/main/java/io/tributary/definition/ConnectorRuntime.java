package io.tributary.definition;

import java.util.List;

/** How a definition's connector runs; the registry builds each kind with its own factory. */
public sealed interface ConnectorRuntime {

  /**
   * A connector built into Tributary.
   *
   * @param implementation its class name, as {@code implementation} in its definition file names it
   *     (null when the file names none: the definition is listed but cannot run)
   */
  record BuiltIn(String implementation) implements ConnectorRuntime {}

  /**
   * An Airbyte-protocol connector the instance admin registered, run as a child process by this
   * command.
   */
  record Command(List<String> command) implements ConnectorRuntime {

    public Command {
      command = List.copyOf(command);
    }
  }
}
