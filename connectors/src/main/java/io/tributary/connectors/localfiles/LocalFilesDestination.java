package io.tributary.connectors.localfiles;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.config.SpecifiedConnector;
import io.tributary.connectors.files.LocalDirectory;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.files.ManifestWriter;
import io.tributary.connectors.files.RecordFormat;
import io.tributary.protocol.ConnectionStatus;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * Files in the organization's local directory ({@code /local/...}) under {@code destination_path},
 * one directory per stream, published by a manifest. A subclass says which file format.
 */
abstract sealed class LocalFilesDestination extends SpecifiedConnector implements Destination
    permits CsvDestination, LocalJsonDestination {

  private final LocalRoot root;

  LocalFilesDestination(String connector, LocalRoot root) {
    super(connector);
    this.root = root;
  }

  /** The format of the files the config asks for. */
  abstract Supplier<RecordFormat> format(ObjectNode config);

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
        format(config));
  }
}
