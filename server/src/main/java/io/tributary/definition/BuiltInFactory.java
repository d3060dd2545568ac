package io.tributary.definition;

import io.tributary.connector.Destination;
import io.tributary.connector.Source;
import io.tributary.connectors.BuiltInConnectors;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.files.LocalRoot;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds built-in connectors for one organization: each gets that organization's own directory for
 * {@code /local/...} paths ({@code <local root>/<organization id>}) and the instance's egress
 * policy.
 */
final class BuiltInFactory {

  private final Path localRoot;
  private final EgressPolicy egress;

  /**
   * @param localRoot the instance's local root, holding one directory per organization
   */
  BuiltInFactory(Path localRoot, EgressPolicy egress) {
    this.localRoot = localRoot;
    this.egress = egress;
  }

  Source source(
      ConnectorDefinition definition, ConnectorRuntime.BuiltIn runtime, UUID organizationId) {
    return usable(
        definition, BuiltInConnectors.source(runtime.implementation(), settings(organizationId)));
  }

  Destination destination(
      ConnectorDefinition definition, ConnectorRuntime.BuiltIn runtime, UUID organizationId) {
    return usable(
        definition,
        BuiltInConnectors.destination(runtime.implementation(), settings(organizationId)));
  }

  private BuiltInConnectors.Settings settings(UUID organizationId) {
    return new BuiltInConnectors.Settings(LocalRoot.of(localRoot, organizationId), egress);
  }

  private static <T> T usable(ConnectorDefinition definition, Optional<T> connector) {
    return connector.orElseThrow(
        () ->
            new IllegalStateException(
                "Connector " + definition.name() + " has no usable implementation"));
  }
}
