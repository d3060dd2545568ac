package io.tributary.workspace;

import io.tributary.common.ApiException;
import io.tributary.common.Page;
import io.tributary.common.PageRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class WorkspaceService {

  private final WorkspaceRepository workspaces;
  private final io.tributary.source.SourceRepository sources;
  private final io.tributary.connection.ConnectionRepository connections;
  private final Clock clock;

  WorkspaceService(WorkspaceRepository workspaces, io.tributary.source.SourceRepository sources,
      io.tributary.connection.ConnectionRepository connections, Clock clock) {
    this.workspaces = workspaces;
    this.sources = sources;
    this.connections = connections;
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

  Instant revokeTokens(UUID organizationId, UUID id) {
    Instant now = clock.instant();
    if (!workspaces.revokeTokens(organizationId, id, now)) {
      throw ApiException.notFound("Workspace not found");
    }
    return now;
  }
}
