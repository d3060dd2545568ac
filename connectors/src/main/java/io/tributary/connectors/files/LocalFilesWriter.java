package io.tributary.connectors.files;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a stream into a directory as part files, published by a manifest ({@value #MANIFEST}) that lists the
 * committed parts and the stream's committed state. A commit renames the part being written and then replaces the
 * manifest atomically, so a part is either listed (committed) or an orphan a later open deletes. Overwrite stages
 * its parts aside and publishes them, replacing the old ones, in one manifest replacement at {@link #complete()}.
 */
public final class LocalFilesWriter implements StreamWriter {

  public static final String MANIFEST = "_tributary_manifest.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path directory;
  private final Path staging;
  private final WriteTarget target;
  private final Supplier<RecordFormat> formats;
  private final OffsetDateTime extractedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  private Path current;
  private OutputStream out;
  private RecordFormat format;

  public LocalFilesWriter(Path destination, WriteTarget target, Supplier<RecordFormat> formats) {
    this.target = target;
    this.formats = formats;
    Path namespace = target.namespace() == null ? destination : destination.resolve(LocalRoot.segment(target.namespace()));
    this.directory = namespace.resolve(LocalRoot.segment(target.name()));
    this.staging = directory.resolve(".staging-" + Integer.toHexString(target.stateKey().hashCode()));
    try {
      Files.createDirectories(directory);
      removeOrphans();
      if (target.mode() == DestinationSyncMode.OVERWRITE) {
        Files.createDirectories(staging);
        if (committedState() == null) {
          clear(staging, List.of());
          writeManifest(staging, List.of(), null);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The parts a reader of {@code directory} should read, in commit order. */
  public static List<Path> committedParts(Path directory) {
    try {
      ObjectNode manifest = readManifest(directory);
      List<Path> parts = new ArrayList<>();
      manifest.path("files").forEach(name -> parts.add(directory.resolve(name.asString())));
      return parts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public JsonNode committedState() {
    try {
      JsonNode state = readManifest(publishDirectory()).path("states").path(target.stateKey());
      return state.isMissingNode() || state.isNull() ? null : state;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void write(RecordBatch batch) {
    try {
      if (out == null) {
        format = formats.get();
        current = publishDirectory().resolve(".writing-" + UUID.randomUUID() + "." + format.extension());
        out = new BufferedOutputStream(Files.newOutputStream(current), 1 << 16);
        format.begin(out, target.fields());
      }
      for (Object[] record : batch.records()) {
        format.write(out, target.fields(), record, extractedAt);
      }
    } catch (IOException e) {
      throw ConnectorException.transientError("Could not write to " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void commit(JsonNode state) {
    try {
      Path into = publishDirectory();
      List<String> files = names(readManifest(into).path("files"));
      if (out != null) {
        out.close();
        out = null;
        String part = "part-" + System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8) + "." + format.extension();
        Files.move(current, into.resolve(part), StandardCopyOption.ATOMIC_MOVE);
        files.add(part);
      }
      writeManifest(into, files, state);
    } catch (IOException e) {
      throw ConnectorException.transientError("Could not commit files in " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void complete() {
    if (target.mode() != DestinationSyncMode.OVERWRITE) {
      return;
    }
    try {
      List<String> staged = names(readManifest(staging).path("files"));
      List<String> previous = names(readManifest(directory).path("files"));
      for (String part : staged) {
        Files.move(staging.resolve(part), directory.resolve(part), StandardCopyOption.ATOMIC_MOVE);
      }
      writeManifest(directory, staged, null);
      for (String part : previous) {
        Files.deleteIfExists(directory.resolve(part));
      }
      clear(staging, List.of());
      Files.deleteIfExists(staging.resolve(MANIFEST));
      Files.deleteIfExists(staging);
    } catch (IOException e) {
      throw ConnectorException.transientError("Could not publish " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      if (out != null) {
        out.close();
        Files.deleteIfExists(current);
      }
    } catch (IOException ignored) {
      // an orphan is removed at the next open
    }
  }

  private Path publishDirectory() {
    return target.mode() == DestinationSyncMode.OVERWRITE ? staging : directory;
  }

  /** Files the manifest does not list were never committed: a crash left them. */
  private void removeOrphans() throws IOException {
    clear(directory, names(readManifest(directory).path("files")));
  }

  private static void clear(Path dir, List<String> keep) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (Files.isRegularFile(file) && !name.equals(MANIFEST) && !keep.contains(name)) {
          Files.delete(file);
        }
      }
    }
  }

  private static ObjectNode readManifest(Path dir) throws IOException {
    Path manifest = dir.resolve(MANIFEST);
    return Files.exists(manifest) ? (ObjectNode) JSON.readTree(manifest.toFile()) : JsonNodeFactory.instance.objectNode();
  }

  private void writeManifest(Path dir, List<String> files, JsonNode state) throws IOException {
    ObjectNode manifest = readManifest(dir);
    ArrayNode list = manifest.putArray("files");
    files.forEach(list::add);
    ObjectNode states = manifest.has("states") ? (ObjectNode) manifest.get("states") : manifest.putObject("states");
    if (state == null) {
      states.remove(target.stateKey());
    } else {
      states.set(target.stateKey(), state);
    }
    Path temporary = dir.resolve(".manifest-" + UUID.randomUUID());
    Files.write(temporary, JSON.writeValueAsBytes(manifest));
    try {
      Files.move(temporary, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(node -> names.add(node.asString()));
    return names;
  }
}
