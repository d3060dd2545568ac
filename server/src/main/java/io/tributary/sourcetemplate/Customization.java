package io.tributary.sourcetemplate;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Which streams the connections of sources made from a template sync, per-stream overrides, and
 * what the end user's form shows.
 *
 * @param streamWhitelist the streams of {@code whitelist} mode; non-empty then
 * @param form the operator's changes to the end user's form, by the dotted path of a field in the
 *     connector's spec ({@code host}, {@code ssl_mode.ca_certificate})
 */
public record Customization(
    StreamSelectionMode streamSelectionMode,
    List<String> streamWhitelist,
    Map<String, StreamCustomization> streamCustomizations,
    Map<String, FormField> form) {

  public static final Customization DEFAULT =
      new Customization(StreamSelectionMode.SUGGESTED, null, null, null);

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

  /**
   * One field of the end user's form as the operator wants it; what is null stays as the connector
   * (or Tributary's plain wording of a built-in connector) has it.
   *
   * @param hidden left out of the form: only for a field that is optional or preset by the template
   * @param help where the end user finds the value: markdown with links, bold and code
   * @param order the field's place among its siblings (lower first)
   */
  public record FormField(
      Boolean hidden, String title, String description, String help, Integer order) {}
}
