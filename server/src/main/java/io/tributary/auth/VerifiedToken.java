package io.tributary.auth;

import java.util.UUID;

/** What a token's verified claims say about its holder. */
public sealed interface VerifiedToken {

  UUID organizationId();

  record Operator(UUID organizationId, UUID applicationId) implements VerifiedToken {}

  /**
   * @param widget null unless the token came inside a widget token
   */
  record EndUser(UUID organizationId, UUID workspaceId, int generation, WidgetScope widget)
      implements VerifiedToken {}
}
