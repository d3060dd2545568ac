package io.tributary.sourcetemplate;

import io.tributary.secret.SealedConfig;
import io.tributary.template.Template;
import java.time.Instant;
import java.util.UUID;

/**
 * A template as stored; its default configuration is sealed (secrets encrypted, masked in the
 * JSON).
 */
public record SourceTemplate(
    UUID id,
    UUID organizationId,
    String name,
    UUID actorDefinitionId,
    SealedConfig partialDefaultConfig,
    Customization customization,
    Instant createdAt,
    Instant updatedAt)
    implements Template {

  /** Binds the encrypted secrets to this template. */
  public String secretContext() {
    return secretContext(id);
  }

  static String secretContext(UUID id) {
    return "source-template:" + id;
  }
}
