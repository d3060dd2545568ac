package io.tributary.auth;

import java.util.Optional;
import java.util.UUID;

/**
 * An end user, authenticated by a scoped token (or the scoped token inside a widget token) of one
 * workspace.
 *
 * @param widget the widget token's origin and tag filters; null for a plain scoped token
 */
public record EndUserCaller(
    UUID organizationId, UUID workspaceId, String workspaceName, WidgetScope widget)
    implements Caller {

  public boolean mayAccess(UUID workspace) {
    return workspaceId.equals(workspace);
  }

  @Override
  public Optional<WidgetScope> widgetScope() {
    return Optional.ofNullable(widget);
  }
}
