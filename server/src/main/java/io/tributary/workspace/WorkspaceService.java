package io.tributary.workspace;

import io.tributary.common.ConflictException;
import io.tributary.common.DeadlockRetry;
import io.tributary.common.NotFoundException;
import io.tributary.common.PageRequest;
import io.tributary.event.EventLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

@Service
public class WorkspaceService {

  private final WorkspaceRepository workspaces;
  private final WorkspaceContents contents;
  private final Clock clock;
  private final EventLog events;
  private final TransactionTemplate transaction;

  WorkspaceService(
      WorkspaceRepository workspaces,
      WorkspaceContents contents,
      Clock clock,
      EventLog events,
      TransactionTemplate transaction) {
    this.events = events;
    this.transaction = transaction;
    this.workspaces = workspaces;
    this.contents = contents;
    this.clock = clock;
  }

  public Workspace get(UUID organizationId, UUID id) {
    return workspaces
        .findLive(organizationId, id)
        .orElseThrow(() -> new NotFoundException("Workspace", id));
  }

  List<Workspace> page(
      UUID organizationId, String nameContains, WorkspaceStatus status, PageRequest page) {
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
      throw new ConflictException("A workspace named '" + newName + "' already exists");
    }
    try {
      workspaces.update(id, newName, status == null ? current.status() : status, clock.instant());
    } catch (DuplicateKeyException e) {
      throw new ConflictException("A workspace named '" + newName + "' already exists");
    }
    return get(organizationId, id);
  }

  /**
   * Soft-deletes the workspace with its sources, destinations and connections, and revokes its
   * tokens.
   */
  Instant delete(UUID organizationId, UUID id) {
    Instant now = clock.instant();
    Workspace workspace = get(organizationId, id);
    return DeadlockRetry.inTransaction(
        transaction,
        "Deleting workspace " + id,
        () -> {
          if (!workspaces.softDelete(organizationId, id, now)) {
            throw new NotFoundException("Workspace", id);
          }
          contents.deleteAll(id, now);
          events.record(
              organizationId, id, "workspace.deleted", WorkspaceRepository.eventData(workspace));
          return now;
        });
  }

  /**
   * Reconciles every workspace with the organization's current connection templates: sources get
   * the connections of templates added since they were created (within the tag filter they were
   * created with), and connections of deleted templates go. Idempotent.
   */
  @Transactional
  SyncResult reconcile(UUID organizationId) {
    Instant now = clock.instant();
    List<Workspace> all = workspaces.allLive(organizationId);
    List<UUID> changed = new ArrayList<>();
    int createdConnections = 0;
    for (Workspace workspace : all) {
      WorkspaceContents.Rewired rewired = contents.rewire(organizationId, workspace.id(), now);
      createdConnections += rewired.createdConnections();
      if (rewired.changed()) {
        changed.add(workspace.id());
      }
    }
    return new SyncResult(all.size(), changed.size(), changed, createdConnections);
  }

  record SyncResult(
      int totalCount,
      int createdCount,
      List<UUID> createdWorkspaceIds,
      int createdConnectionCount) {}

  Instant revokeTokens(UUID organizationId, UUID id) {
    Instant now = clock.instant();
    if (!workspaces.revokeTokens(organizationId, id, now)) {
      throw new NotFoundException("Workspace", id);
    }
    return now;
  }
}
