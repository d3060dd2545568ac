package io.tributary.template;

import java.util.UUID;

/**
 * A kind of tagged template.
 *
 * @param noun what messages call one, capitalized ({@code "Source template"})
 * @param table where its rows live: {@code id}, {@code organization_id}, {@code created_at} and
 *     {@code deleted_at} besides the kind's own columns
 * @param tagTable which tags each one carries: {@code (template_id, tag_id)}
 * @param secretScope what a template's encrypted secrets are bound to, with its id
 */
public record TemplateKind(String noun, String table, String tagTable, String secretScope) {

  /**
   * Binds a template's encrypted secrets to it, so that they open for no other template, of this
   * kind or another.
   */
  public String secretContext(UUID id) {
    return secretScope + ":" + id;
  }
}
