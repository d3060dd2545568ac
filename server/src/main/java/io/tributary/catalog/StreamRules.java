package io.tributary.catalog;

import io.tributary.common.RefusedException;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.SyncMode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which sync modes, cursor and key a stream gets, and which combinations are refused ({@link
 * RefusedException}, in the documented wording). Without explicit modes a stream gets incremental +
 * append_dedup when it can (incremental support, a primary key and a cursor), else full_refresh +
 * overwrite.
 */
public final class StreamRules {

  private StreamRules() {}

  /** The configuration a stream gets when selected without explicit choices. */
  public static StreamConfig defaults(
      AirbyteStream stream, List<List<String>> primaryKey, List<String> cursorField) {
    return configure(stream, null, null, cursorField, primaryKey);
  }

  /**
   * A validated configuration from the caller's choices; null means "decide for me".
   *
   * @throws RefusedException for an unsupported mode, an incremental stream without cursor or a
   *     dedup stream without key
   */
  public static StreamConfig configure(
      AirbyteStream stream,
      String syncMode,
      String destinationSyncMode,
      List<String> cursorField,
      List<List<String>> primaryKey) {
    String name = stream.name();
    List<String> cursor =
        cursorField != null && !cursorField.isEmpty()
            ? cursorField
            : defaultCursor(stream).orElse(List.of());
    List<List<String>> key =
        primaryKey != null && !primaryKey.isEmpty()
            ? primaryKey
            : stream.sourceDefinedPrimaryKey() == null
                ? List.of()
                : stream.sourceDefinedPrimaryKey();
    SyncMode mode =
        syncMode == null
            ? null
            : parse(SyncMode.values(), syncMode)
                .filter(stream::supports)
                .orElseThrow(
                    () ->
                        new RefusedException(
                            "Sync mode '"
                                + syncMode
                                + "' not supported for stream '"
                                + name
                                + "'"));
    DestinationSyncMode destination =
        destinationSyncMode == null
            ? null
            : parse(DestinationSyncMode.values(), destinationSyncMode)
                .orElseThrow(
                    () ->
                        new RefusedException(
                            "Destination sync mode '"
                                + destinationSyncMode
                                + "' not supported for stream '"
                                + name
                                + "'"));
    boolean canIncremental = stream.supports(SyncMode.INCREMENTAL) && !cursor.isEmpty();
    if (mode == null) {
      mode =
          destination == DestinationSyncMode.OVERWRITE
              ? SyncMode.FULL_REFRESH
              : destination == null
                  ? (canIncremental && !key.isEmpty()
                      ? SyncMode.INCREMENTAL
                      : SyncMode.FULL_REFRESH)
                  : canIncremental ? SyncMode.INCREMENTAL : SyncMode.FULL_REFRESH;
      if (!stream.supports(mode)) {
        mode =
            stream.supports(SyncMode.FULL_REFRESH) ? SyncMode.FULL_REFRESH : SyncMode.INCREMENTAL;
      }
    }
    if (destination == null) {
      destination =
          mode == SyncMode.FULL_REFRESH
              ? DestinationSyncMode.OVERWRITE
              : key.isEmpty() ? DestinationSyncMode.APPEND : DestinationSyncMode.APPEND_DEDUP;
    }
    if (mode == SyncMode.FULL_REFRESH && destination == DestinationSyncMode.APPEND_DEDUP
        || mode == SyncMode.INCREMENTAL && destination == DestinationSyncMode.OVERWRITE) {
      throw new RefusedException(
          "Stream '"
              + name
              + "' cannot combine "
              + mode.value()
              + " with "
              + destination.value()
              + ": use full_refresh with overwrite or append, incremental with append or append_dedup");
    }
    if (mode == SyncMode.INCREMENTAL && cursor.isEmpty()) {
      throw new RefusedException(
          "Stream '" + name + "' needs a cursor_field for incremental syncs");
    }
    if (destination == DestinationSyncMode.APPEND_DEDUP && key.isEmpty()) {
      throw new RefusedException("Stream '" + name + "' needs a primary_key for append_dedup");
    }
    for (String field : mode == SyncMode.INCREMENTAL ? cursor.subList(0, 1) : List.<String>of()) {
      requireField(stream, field, "Cursor field");
    }
    for (List<String> path :
        destination == DestinationSyncMode.APPEND_DEDUP ? key : List.<List<String>>of()) {
      if (path.isEmpty()) {
        throw new RefusedException("Stream '" + name + "' has an empty primary key path");
      }
      requireField(stream, path.getFirst(), "Primary key field");
    }
    return new StreamConfig(
        name,
        stream.namespace(),
        mode,
        destination,
        mode == SyncMode.INCREMENTAL ? cursor : List.of(),
        destination == DestinationSyncMode.APPEND_DEDUP ? key : List.of());
  }

  /**
   * Whether a destination mode goes with a sync mode; unknown or absent values are left to {@link
   * #configure}.
   */
  static boolean compatible(String syncMode, String destinationSyncMode) {
    var mode = syncMode == null ? Optional.<SyncMode>empty() : parse(SyncMode.values(), syncMode);
    var destination =
        destinationSyncMode == null
            ? Optional.<DestinationSyncMode>empty()
            : parse(DestinationSyncMode.values(), destinationSyncMode);
    if (mode.isEmpty() || destination.isEmpty()) {
      return true;
    }
    return !(mode.get() == SyncMode.FULL_REFRESH
            && destination.get() == DestinationSyncMode.APPEND_DEDUP
        || mode.get() == SyncMode.INCREMENTAL
            && destination.get() == DestinationSyncMode.OVERWRITE);
  }

  /**
   * A cursor or key the caller sent for a configuration that does not use it would be dropped; say
   * so instead.
   *
   * @param cursorField the cursor the caller sent, or null
   * @param primaryKey the key the caller sent, or null
   */
  static void requireUsed(
      StreamConfig config, List<String> cursorField, List<List<String>> primaryKey) {
    if (cursorField != null
        && !cursorField.isEmpty()
        && config.syncMode() != SyncMode.INCREMENTAL) {
      throw new RefusedException(
          "Stream '"
              + config.streamName()
              + "' is synced "
              + config.syncMode().value()
              + ", which uses no cursor_field: set sync_mode to incremental, or leave cursor_field out");
    }
    if (primaryKey != null
        && !primaryKey.isEmpty()
        && config.destinationSyncMode() != DestinationSyncMode.APPEND_DEDUP) {
      throw new RefusedException(
          "Stream '"
              + config.streamName()
              + "' is written with "
              + config.destinationSyncMode().value()
              + ", which uses no primary_key: set destination_sync_mode to append_dedup, or leave primary_key out");
    }
  }

  private static Optional<List<String>> defaultCursor(AirbyteStream stream) {
    return stream.defaultCursorField() == null || stream.defaultCursorField().isEmpty()
        ? Optional.empty()
        : Optional.of(stream.defaultCursorField());
  }

  private static void requireField(AirbyteStream stream, String field, String what) {
    if (stream.jsonSchema() == null || !stream.jsonSchema().path("properties").has(field)) {
      throw new RefusedException(
          what + " '" + field + "' is not a field of stream '" + stream.name() + "'");
    }
  }

  private static <E extends Enum<E>> Optional<E> parse(E[] values, String value) {
    return Arrays.stream(values).filter(v -> v.name().equalsIgnoreCase(value)).findFirst();
  }
}
