package io.tributary.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A stream selected for syncing, with how it is read and written.
 *
 * @param cursorField the field incremental reads resume from; empty for full refresh
 * @param primaryKey field paths identifying a record; required for {@code append_dedup}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConfiguredAirbyteStream(
    @JsonProperty("stream") AirbyteStream stream,
    @JsonProperty("sync_mode") SyncMode syncMode,
    @JsonProperty("destination_sync_mode") DestinationSyncMode destinationSyncMode,
    @JsonProperty("cursor_field") List<String> cursorField,
    @JsonProperty("primary_key") List<List<String>> primaryKey) {

  public ConfiguredAirbyteStream {
    cursorField = cursorField == null ? List.of() : List.copyOf(cursorField);
    primaryKey = primaryKey == null ? List.of() : primaryKey.stream().map(List::copyOf).toList();
  }

  public StreamDescriptor descriptor() {
    return stream.descriptor();
  }
}
