package io.tributary.sourcetemplate;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Which streams the connections of sources made from a template sync, and per-stream overrides.
 *
 * @param streamWhitelist the streams of {@code whitelist} mode; non-empty then
 */
public record Customization(
    StreamSelectionMode streamSelectionMode,
    List<String> streamWhitelist,
    Map<String, StreamCustomization> streamCustomizations) {

  public static final Customization DEFAULT =
      new Customization(StreamSelectionMode.SUGGESTED, null, null);

  public Customization {
    streamSelectionMode =
        streamSelectionMode == null ? StreamSelectionMode.SUGGESTED : streamSelectionMode;
  }

  public enum StreamSelectionMode {
    /** Streams the connector suggests; all of them when it suggests none. */
    @JsonProperty("suggested")
    SUGGESTED,
    @JsonProperty("all")
    ALL,
    @JsonProperty("whitelist")
    WHITELIST
  }

  /** Overrides of a stream's primary key (a list of field paths) and cursor (a field path). */
  public record StreamCustomization(
      List<List<String>> primaryKeyFields, List<String> cursorField) {}
}
