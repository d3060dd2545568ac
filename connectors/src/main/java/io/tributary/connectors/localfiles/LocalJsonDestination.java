package io.tributary.connectors.localfiles;

import io.tributary.connectors.files.JsonLinesFormat;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.files.RecordFormat;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON lines files in the organization's local directory ({@code /local/...}), one directory per
 * stream.
 */
public final class LocalJsonDestination extends LocalFilesDestination {

  public LocalJsonDestination(LocalRoot root) {
    super("destination-local-json", root);
  }

  @Override
  Supplier<RecordFormat> format(ObjectNode config) {
    return JsonLinesFormat::new;
  }
}
