package io.tributary.connectors.files;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a stream as part files published by a manifest ({@value #MANIFEST}) that lists the
 * committed parts and the stream's committed state. A commit promotes the part being written and
 * then replaces the manifest atomically, so a part is either listed (committed) or an orphan the
 * next open deletes. Overwrite stages its parts in a nested store and publishes them, replacing the
 * old ones, in one manifest replacement at {@link #complete()}. Works the same on a local directory
 * and on an object-store prefix.
 */
public final class ManifestWriter implements StreamWriter {

  public static final String MANIFEST = "_tributary_manifest.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final PartStore store;
  private final PartStore staging;
  private final String stagingName;
  private final WriteTarget target;
  private final Supplier<RecordFormat> formats;
  private final OffsetDateTime extractedAt =
      OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  private String current;
  private OutputStream out;
  private RecordFormat format;

  public ManifestWriter(PartStore store, WriteTarget target, Supplier<RecordFormat> formats) {
    this.store = store;
    this.target = target;
    this.formats = formats;
    this.stagingName = ".staging-" + Integer.toHexString(target.stateKey().hashCode());
    try {
      removeOrphans(store);
      if (target.mode() == DestinationSyncMode.OVERWRITE) {
        staging = store.child(stagingName);
        if (committedState() == null) {
          for (String name : staging.list()) {
            staging.delete(name);
          }
        } else {
          removeOrphans(staging);
        }
      } else {
        staging = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The parts a reader of {@code store} should read, in commit order. */
  public static List<String> committedParts(PartStore store) {
    try {
      return names(readManifest(store).path("files"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public JsonNode committedState() {
    try {
      JsonNode state = readManifest(publishStore()).path("states").path(target.stateKey());
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
        current = ".writing-" + UUID.randomUUID() + "." + format.extension();
        out = publishStore().newTemporary(current);
        format.begin(out, target.fields());
      }
      for (Object[] record : batch.records()) {
        format.write(out, target.fields(), record, extractedAt);
      }
    } catch (IOException e) {
      throw ConnectorException.transientError(
          "Could not write to " + store.location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void commit(JsonNode state) {
    try {
      PartStore into = publishStore();
      List<String> files = names(readManifest(into).path("files"));
      if (out != null) {
        format.finish(out);
        out.close();
        out = null;
        String part =
            "part-"
                + System.currentTimeMillis()
                + "-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "."
                + format.extension();
        into.promote(current, part);
        files.add(part);
      }
      writeManifest(into, files, state);
    } catch (IOException e) {
      throw ConnectorException.transientError(
          "Could not commit files in " + store.location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void complete() {
    if (target.mode() != DestinationSyncMode.OVERWRITE) {
      return;
    }
    try {
      List<String> staged = names(readManifest(staging).path("files"));
      List<String> previous = names(readManifest(store).path("files"));
      for (String part : staged) {
        store.adopt(staging, part);
      }
      writeManifest(store, staged, null);
      for (String part : previous) {
        store.delete(part);
      }
      for (String name : staging.list()) {
        staging.delete(name);
      }
      store.deleteChild(stagingName);
    } catch (IOException e) {
      throw ConnectorException.transientError(
          "Could not publish " + store.location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      if (out != null) {
        out.close();
        publishStore().discard(current);
      }
    } catch (IOException ignored) {
      // an orphan is removed at the next open
    }
  }

  private PartStore publishStore() {
    return target.mode() == DestinationSyncMode.OVERWRITE ? staging : store;
  }

  /** Entries the manifest does not list were never committed: a crash left them. */
  private static void removeOrphans(PartStore store) throws IOException {
    List<String> keep = names(readManifest(store).path("files"));
    for (String name : store.list()) {
      if (!name.equals(MANIFEST) && !keep.contains(name)) {
        store.delete(name);
      }
    }
  }

  private static ObjectNode readManifest(PartStore store) throws IOException {
    byte[] content = store.read(MANIFEST);
    return content == null
        ? JsonNodeFactory.instance.objectNode()
        : (ObjectNode) JSON.readTree(content);
  }

  private void writeManifest(PartStore into, List<String> files, JsonNode state)
      throws IOException {
    ObjectNode manifest = readManifest(into);
    ArrayNode list = manifest.putArray("files");
    files.forEach(list::add);
    ObjectNode states =
        manifest.has("states") ? (ObjectNode) manifest.get("states") : manifest.putObject("states");
    if (state == null) {
      states.remove(target.stateKey());
    } else {
      states.set(target.stateKey(), state);
    }
    into.writeAtomically(MANIFEST, JSON.writeValueAsBytes(manifest));
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(node -> names.add(node.asString()));
    return names;
  }
}
