package io.tributary.connector;

import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import java.util.List;

/**
 * Where and how one stream is written. The runtime has already resolved names (namespace format,
 * prefix), so the destination uses them as given and only quotes them.
 *
 * @param namespace the schema, dataset or folder the stream lands in
 * @param name the table or object name
 * @param fields the records' fields, in the order values arrive
 * @param primaryKey field paths identifying a record; non-empty for {@code APPEND_DEDUP}
 * @param cursorField the field whose larger value wins between two versions of a key; may be empty
 * @param stateKey identifies this connection's stream in the destination's own checkpoint records
 * @param retype fields whose type changed at the source and should change in the destination too: a
 *     table destination converts the existing column (and fails clearly when its values do not
 *     convert)
 */
public record WriteTarget(
    String namespace,
    String name,
    List<Field> fields,
    DestinationSyncMode mode,
    List<List<String>> primaryKey,
    List<String> cursorField,
    String stateKey,
    List<String> retype) {

  public WriteTarget(
      String namespace,
      String name,
      List<Field> fields,
      DestinationSyncMode mode,
      List<List<String>> primaryKey,
      List<String> cursorField,
      String stateKey) {
    this(namespace, name, fields, mode, primaryKey, cursorField, stateKey, List.of());
  }

  /**
   * The key a destination keeps this stream's committed state under: an overwrite's staged progress
   * apart from the table's own incremental progress, so a stream switched between the two never
   * resumes from the other's state.
   */
  public String stateRow() {
    return mode == DestinationSyncMode.OVERWRITE ? stateKey + "#staged" : stateKey;
  }

  public WriteTarget {
    fields = List.copyOf(fields);
    retype = retype == null ? List.of() : List.copyOf(retype);
    primaryKey = primaryKey == null ? List.of() : primaryKey.stream().map(List::copyOf).toList();
    cursorField = cursorField == null ? List.of() : List.copyOf(cursorField);
    if (mode == DestinationSyncMode.APPEND_DEDUP && primaryKey.isEmpty()) {
      throw new IllegalArgumentException("append_dedup needs a primary key");
    }
  }
}
