package io.tributary.connectors.localfiles;

import io.tributary.connectors.config.Config;
import io.tributary.connectors.files.CsvFormat;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.files.RecordFormat;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * CSV files in the organization's local directory ({@code /local/...}), one directory per stream.
 */
public final class CsvDestination extends LocalFilesDestination {

  public CsvDestination(LocalRoot root) {
    super("destination-csv", root);
  }

  @Override
  Supplier<RecordFormat> format(ObjectNode config) {
    char delimiter = delimiter(Config.string(config, "delimiter", "Comma: ,"));
    return () -> new CsvFormat(delimiter);
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
