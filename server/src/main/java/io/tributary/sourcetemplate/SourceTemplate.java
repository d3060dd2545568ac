package io.tributary.sourcetemplate;

import io.tributary.secret.SealedConfig;
import io.tributary.template.Template;
import io.tributary.template.TemplateKind;
import io.tributary.template.TemplateStamp;
import java.util.UUID;

/**
 * A template as stored; its default configuration is sealed (secrets encrypted, masked in the
 * JSON).
 */
public record SourceTemplate(
    TemplateStamp stamp,
    String name,
    UUID actorDefinitionId,
    SealedConfig partialDefaultConfig,
    Customization customization)
    implements Template {

  /** Where templates of this kind are stored, and what errors call them. */
  public static final TemplateKind KIND =
      new TemplateKind(
          "Source template", "source_templates", "source_template_tags", "source-template");
}
