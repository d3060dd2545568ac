package io.tributary.connectiontemplate;

import io.tributary.secret.SealedConfig;
import io.tributary.template.Template;
import io.tributary.template.TemplateKind;
import io.tributary.template.TemplateStamp;
import java.util.UUID;

/**
 * The destination side of every end user's pipeline: the destination created in each workspace and
 * the schedule, schema-change policy and naming of the connections to it.
 *
 * @param namespaceFormat where each workspace's data lands; {@code ${WORKSPACE_NAME}}, {@code
 *     ${WORKSPACE_ID}} and {@code ${SOURCE_NAMESPACE}} are replaced
 * @param allowEndUserSync an end user may start a sync of its own connections (SPEC §11)
 */
public record ConnectionTemplate(
    TemplateStamp stamp,
    UUID destinationDefinitionId,
    String destinationName,
    SealedConfig destinationConfig,
    String cronExpression,
    String cronTimeZone,
    NonBreakingChangesPreference nonBreakingChangesPreference,
    boolean syncOnCreate,
    boolean allowEndUserSync,
    String namespaceFormat,
    String prefix)
    implements Template {

  /** Where templates of this kind are stored, and what errors call them. */
  public static final TemplateKind KIND =
      new TemplateKind(
          "Connection template",
          "connection_templates",
          "connection_template_tags",
          "connection-template");

  public static final String DEFAULT_NAMESPACE_FORMAT = "${WORKSPACE_NAME}";
}
