package io.tributary.auth;

import java.util.List;

/**
 * What a widget token adds to a scoped token: where it may be used from and which templates it
 * shows.
 */
public record WidgetScope(
    String allowedOrigin,
    List<String> sourceTemplateTags,
    TagMode sourceTemplateTagsMode,
    List<String> connectionTemplateTags,
    TagMode connectionTemplateTagsMode) {

  public WidgetScope {
    sourceTemplateTags = List.copyOf(sourceTemplateTags);
    connectionTemplateTags = List.copyOf(connectionTemplateTags);
  }
}
