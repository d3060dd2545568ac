package io.tributary.connectiontemplate;

import io.tributary.secret.SealedConfig;
import io.tributary.template.Template;
import java.time.Instant;
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
    UUID id,
    UUID organizationId,
    String destinationName,
    UUID destinationDefinitionId,
    SealedConfig destinationConfig,
    String cronExpression,
    String cronTimeZone,
    NonBreakingChangesPreference nonBreakingChangesPreference,
    boolean syncOnCreate,
    boolean allowEndUserSync,
    String namespaceFormat,
    String prefix,
    Instant createdAt,
    Instant updatedAt)
    implements Template {

  public static final String DEFAULT_NAMESPACE_FORMAT = "${WORKSPACE_NAME}";

  public String secretContext() {
    return secretContext(id);
  }

  static String secretContext(UUID id) {
    return "connection-template:" + id;
  }
}
