package io.tributary.catalog;

import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.SyncMode;
import java.util.List;

/** How a selected stream of a source is synced; applies to every connection of the source. */
public record StreamConfig(
    String streamName,
    String namespace,
    SyncMode syncMode,
    DestinationSyncMode destinationSyncMode,
    List<String> cursorField,
    List<List<String>> primaryKey) {

  public StreamConfig {
    cursorField = cursorField == null ? List.of() : List.copyOf(cursorField);
    primaryKey = primaryKey == null ? List.of() : primaryKey.stream().map(List::copyOf).toList();
  }
}
