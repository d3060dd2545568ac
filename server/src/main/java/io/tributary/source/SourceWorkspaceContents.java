package io.tributary.source;

import io.tributary.auth.TagMode;
import io.tributary.connection.ConnectionRepository;
import io.tributary.connection.ConnectionWiring;
import io.tributary.workspace.WorkspaceContents;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A workspace's sources and their connections, as the workspace feature deletes and reconciles
 * them.
 */
@Component
class SourceWorkspaceContents implements WorkspaceContents {

  private final SourceRepository sources;
  private final ConnectionRepository connections;
  private final ConnectionWiring wiring;

  SourceWorkspaceContents(
      SourceRepository sources, ConnectionRepository connections, ConnectionWiring wiring) {
    this.sources = sources;
    this.connections = connections;
    this.wiring = wiring;
  }

  @Override
  public void deleteAll(UUID workspaceId, Instant now) {
    connections.softDeleteOfWorkspace(workspaceId, now);
    sources.softDeleteWorkspace(workspaceId, now);
  }

  @Override
  public Rewired rewire(UUID organizationId, UUID workspaceId, Instant now) {
    int removed = connections.softDeleteOfDeletedTemplates(workspaceId, now);
    int created = 0;
    for (var source : sources.sourcesWithFilter(workspaceId)) {
      created +=
          wiring
              .wire(
                  organizationId,
                  workspaceId,
                  source.id(),
                  source.tags(),
                  source.mode() == null ? null : TagMode.parse(source.mode()),
                  now)
              .size();
    }
    return new Rewired(removed, created);
  }
}
