package io.tributary.source;

import io.tributary.auth.TagMode;
import io.tributary.connection.ConnectionRepository;
import io.tributary.connection.ConnectionWiring;
import io.tributary.job.JobQueue;
import io.tributary.workspace.WorkspaceContents;
import java.time.Instant;
import java.util.List;
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
  private final JobQueue jobs;

  SourceWorkspaceContents(
      SourceRepository sources,
      ConnectionRepository connections,
      ConnectionWiring wiring,
      JobQueue jobs) {
    this.sources = sources;
    this.connections = connections;
    this.wiring = wiring;
    this.jobs = jobs;
  }

  @Override
  public void deleteAll(UUID workspaceId, Instant now) {
    jobs.cancelSyncsOf(connections.softDeleteOfWorkspace(workspaceId, now));
    sources.softDeleteWorkspace(workspaceId, now);
  }

  @Override
  public Rewired rewire(UUID organizationId, UUID workspaceId, Instant now) {
    List<UUID> gone = connections.softDeleteOfDeletedTemplates(workspaceId, now);
    jobs.cancelSyncsOf(gone);
    int removed = gone.size();
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
