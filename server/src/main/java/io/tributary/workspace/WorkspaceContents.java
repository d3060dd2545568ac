package io.tributary.workspace;

import java.time.Instant;
import java.util.UUID;

/**
 * What lives in a workspace: its sources and their connections. The source feature implements it,
 * so a workspace is deleted and reconciled with its contents without this package knowing sources
 * or connections. Both methods run in the caller's transaction.
 */
public interface WorkspaceContents {

  /** Soft-deletes the workspace's connections and sources. */
  void deleteAll(UUID workspaceId, Instant now);

  /**
   * Gives the workspace's sources the connections of connection templates added since they were
   * created (within the tag filter they were created with) and deletes the connections of deleted
   * templates. Idempotent.
   */
  Rewired rewire(UUID organizationId, UUID workspaceId, Instant now);

  record Rewired(int removedConnections, int createdConnections) {

    public boolean changed() {
      return removedConnections > 0 || createdConnections > 0;
    }
  }
}
