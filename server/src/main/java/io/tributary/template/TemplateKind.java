package io.tributary.template;

/**
 * A kind of tagged template.
 *
 * @param noun what messages call one, capitalized ({@code "Source template"})
 * @param table where its rows live: {@code id}, {@code organization_id}, {@code created_at} and
 *     {@code deleted_at} besides the kind's own columns
 * @param tagTable which tags each one carries: {@code (template_id, tag_id)}
 */
public record TemplateKind(String noun, String table, String tagTable) {}
