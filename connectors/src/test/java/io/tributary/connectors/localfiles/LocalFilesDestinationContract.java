package io.tributary.connectors.localfiles;

import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.DestinationContract;
import io.tributary.connectors.files.LocalDirectory;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.files.ManifestWriter;
import io.tributary.connectors.testing.TestLocalFiles;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The destination contract for destinations writing part files under one local root: they append or
 * overwrite, and what they wrote is what the committed manifest lists.
 */
abstract class LocalFilesDestinationContract extends DestinationContract {

  static final Path ROOT = TestLocalFiles.directory("tributary-local-root");

  /** The folder under the root that the valid configuration writes to. */
  protected abstract String folder();

  /** The rows of one part file this destination wrote. */
  protected abstract List<Object[]> rows(Path part, List<Field> fields) throws IOException;

  @Override
  protected List<DestinationSyncMode> modes() {
    return List.of(DestinationSyncMode.APPEND, DestinationSyncMode.OVERWRITE);
  }

  @Override
  protected List<Object[]> readBack(ObjectNode config, WriteTarget target) {
    List<Object[]> rows = new ArrayList<>();
    for (Path part : committedParts(target)) {
      try {
        rows.addAll(rows(part, target.fields()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return rows;
  }

  /** The files {@code target}'s committed manifest lists. */
  private List<Path> committedParts(WriteTarget target) {
    Path directory =
        ROOT.resolve(folder())
            .resolve(LocalRoot.segment(target.namespace()))
            .resolve(LocalRoot.segment(target.name()));
    if (!Files.exists(directory)) {
      return List.of();
    }
    return ManifestWriter.committedParts(new LocalDirectory(directory)).stream()
        .map(directory::resolve)
        .toList();
  }
}
