package io.tributary.connectors.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Local roots for the file and DuckDB connectors under test, and configurations pointing in. */
public final class TestLocalFiles {

  private TestLocalFiles() {}

  /** A new empty directory whose name starts with {@code prefix}, for a root in a static field. */
  public static Path directory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A destination configuration writing to {@code path}, such as /local/warehouse.duckdb. */
  public static ObjectNode destinationPath(String path) {
    return JsonNodeFactory.instance.objectNode().put("destination_path", path);
  }
}
