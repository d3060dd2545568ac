package io.tributary.workspace;

import io.tributary.common.ApiException;
import io.tributary.common.Page;
import io.tributary.common.PageRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class WorkspaceService {

  private final WorkspaceRepository workspaces;
  private final io.tributary.source.SourceRepository sources;
  private final io.tributary.connection.ConnectionRepository connections;
  private final io.tributary.connection.ConnectionWiring wiring;
  private final Clock clock;

  WorkspaceService(WorkspaceRepository workspaces, io.tributary.source.SourceRepository sources,
      io.tributary.connection.ConnectionRepository connections, io.tributary.connection.ConnectionWiring wiring, Clock clock) {
    this.workspaces = workspaces;
    this.sources = sources;
    this.connections = connections;
    this.wiring = wiring;
    this.clock = clock;
  }

  public Workspace get(UUID organizationId, UUID id) {
    return workspaces.findLive(organizationId, id).orElseThrow(() -> ApiException.notFound("Workspace not found"));
  }

  java.util.List<Workspace> page(UUID organizationId, String nameContains, WorkspaceStatus status, PageRequest page) {
    return workspaces.page(organizationId, nameContains, status, page);
  }

  WorkspaceRepository.WorkspaceStats stats(UUID organizationId) {
    return workspaces.stats(organizationId);
  }

  /** Renames and/or changes status; an inactive workspace keeps its data but runs nothing. */
  @Transactional
  Workspace update(UUID organizationId, UUID id, String name, WorkspaceStatus status) {
    Workspace current = get(organizationId, id);
    String newName = name == null ? current.name() : name;
    if (!newName.equals(current.name()) && workspaces.nameTaken(organizationId, newName, id)) {
      throw ApiException.conflict("A workspace named '" + newName + "' already exists");
    }
    try {
      workspaces.update(id, newName, status == null ? current.status() : status, clock.instant());
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("A workspace named '" + newName + "' already exists");
    }
    return get(organizationId, id);
  }

  /** Soft-deletes the workspace with its sources, destinations and connections, and revokes its tokens. */
  @Transactional
  Instant delete(UUID organizationId, UUID id) {
    Instant now = clock.instant();
    if (!workspaces.softDelete(organizationId, id, now)) {
      throw ApiException.notFound("Workspace not found");
    }
    connections.softDeleteOfWorkspace(id, now);
    sources.softDeleteWorkspace(id, now);
    return now;
  }

  /**
   * Reconciles every workspace with the organization's current connection templates: sources get the connections of
   * templates added since they were created (within the tag filter they were created with), and connections of
   * deleted templates go. Idempotent.
   */
  @Transactional
  SyncResult reconcile(UUID organizationId) {
    Instant now = clock.instant();
    List<Workspace> all = workspaces.allLive(organizationId);
    List<UUID> changed = new java.util.ArrayList<>();
    int createdConnections = 0;
    for (Workspace workspace : all) {
      int removed = connections.softDeleteOfDeletedTemplates(workspace.id(), now);
      int created = 0;
      for (var source : sources.sourcesWithFilter(workspace.id())) {
        created += wiring.wire(organizationId, workspace.id(), source.id(), source.tags(),
            source.mode() == null ? null : io.tributary.auth.TagMode.parse(source.mode()), now).size();
      }
      createdConnections += created;
      if (created > 0 || removed > 0) {
        changed.add(workspace.id());
      }
    }
    return new SyncResult(all.size(), changed.size(), changed, createdConnections);
  }

  record SyncResult(int totalCount, int createdCount, List<UUID> createdWorkspaceIds, int createdConnectionCount) {}

  Instant revokeTokens(UUID organizationId, UUID id) {
    Instant now = clock.instant();
    if (!workspaces.revokeTokens(organizationId, id, now)) {
      throw ApiException.notFound("Workspace not found");
    }
    return now;
  }
}
