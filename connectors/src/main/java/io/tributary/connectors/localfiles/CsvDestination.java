package io.tributary.connectors.localfiles;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.config.Specs;
import io.tributary.connectors.files.CsvFormat;
import io.tributary.connectors.files.LocalDirectory;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.files.ManifestWriter;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.ConnectorSpecification;
import tools.jackson.databind.node.ObjectNode;

/**
 * CSV files in the organization's local directory ({@code /local/...}), one directory per stream.
 */
public final class CsvDestination implements Destination {

  private static final ConnectorSpecification SPEC = Specs.load("destination-csv");
  private final LocalRoot root;

  public CsvDestination(LocalRoot root) {
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
    char delimiter = delimiter(Config.string(config, "delimiter", "Comma: ,"));
    return new ManifestWriter(
        LocalDirectory.forStream(root, Config.string(config, "destination_path", null), target),
        target,
        () -> new CsvFormat(delimiter));
  }

  /** Airbyte names delimiters "Comma: ,", "Tab: \t" and so on; a bare character works too. */
  static char delimiter(String option) {
    return switch (option) {
      case "Semicolon: ;", ";" -> ';';
      case "Tab: \\t", "\t", "\\t" -> '\t';
      case "Space: ' '", " " -> ' ';
      case "Pipe: |", "|" -> '|';
      default -> ',';
    };
  }
}
