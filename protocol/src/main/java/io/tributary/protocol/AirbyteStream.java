package io.tributary.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stream as a source describes it in its catalog.
 *
 * @param jsonSchema the records' JSON schema; its {@code properties}, in order, are the stream's
 *     fields
 * @param defaultCursorField the field incremental syncs use unless the user picks another; empty
 *     when none
 * @param sourceDefinedPrimaryKey the primary key as a list of field paths; empty when the source
 *     knows none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AirbyteStream(
    @JsonProperty("name") String name,
    @JsonProperty("namespace") String namespace,
    @JsonProperty("json_schema") ObjectNode jsonSchema,
    @JsonProperty("supported_sync_modes") List<SyncMode> supportedSyncModes,
    @JsonProperty("source_defined_cursor") Boolean sourceDefinedCursor,
    @JsonProperty("default_cursor_field") List<String> defaultCursorField,
    @JsonProperty("source_defined_primary_key") List<List<String>> sourceDefinedPrimaryKey,
    @JsonProperty("is_resumable") Boolean isResumable) {

  public StreamDescriptor descriptor() {
    return new StreamDescriptor(name, namespace);
  }

  public boolean supports(SyncMode mode) {
    return supportedSyncModes != null && supportedSyncModes.contains(mode);
  }
}
