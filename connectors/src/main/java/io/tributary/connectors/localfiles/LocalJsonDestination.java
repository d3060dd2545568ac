package io.tributary.connectors.localfiles;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.config.Specs;
import io.tributary.connectors.files.JsonLinesFormat;
import io.tributary.connectors.files.LocalDirectory;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.files.ManifestWriter;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON lines files in the organization's local directory ({@code /local/...}), one directory per
 * stream.
 */
public final class LocalJsonDestination implements Destination {

  private static final ConnectorSpecification SPEC = Specs.load("destination-local-json");
  private final LocalRoot root;

  public LocalJsonDestination(LocalRoot root) {
    this.root = root;
  }

  @Override
  public ConnectorSpecification spec() {
    return SPEC;
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    try {
      root.directory(Config.string(config, "destination_path", null));
      return ConnectionStatus.succeeded();
    } catch (ConnectorException e) {
      return ConnectionStatus.failed(e.getMessage());
    }
  }

  @Override
  public StreamWriter open(ObjectNode config, WriteTarget target) {
    return new ManifestWriter(
        LocalDirectory.forStream(root, Config.string(config, "destination_path", null), target),
        target,
        JsonLinesFormat::new);
  }
}
