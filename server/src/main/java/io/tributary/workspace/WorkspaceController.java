package io.tributary.workspace;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import io.tributary.common.Page;
import io.tributary.common.PageLinks;
import io.tributary.common.PageRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workspaces")
class WorkspaceController {

  private final WorkspaceService workspaces;

  WorkspaceController(WorkspaceService workspaces) {
    this.workspaces = workspaces;
  }

  @GetMapping("/api/v1/workspaces")
  @Operation(summary = "List the organization's workspaces, oldest first, a page at a time")
  Page<Workspace> list(
      OperatorCaller caller,
      @RequestParam(name = "name_contains", required = false) String nameContains,
      @RequestParam(required = false) WorkspaceStatus status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit, cursor);
    List<Workspace> rows = workspaces.page(caller.organizationId(), nameContains, status, page);
    return page.page(rows, w -> new PageRequest.Key(w.createdAt(), w.id()), links);
  }

  @GetMapping("/api/v1/workspaces/stats")
  @Operation(summary = "Count the organization's workspaces by status")
  WorkspaceRepository.WorkspaceStats stats(OperatorCaller caller) {
    return workspaces.stats(caller.organizationId());
  }

  @PostMapping("/api/v1/workspaces/sync")
  @Operation(
      summary = "Reconcile every workspace with the current connection templates (idempotent)")
  WorkspaceService.SyncResult sync(OperatorCaller caller) {
    return workspaces.reconcile(caller.organizationId());
  }

  @GetMapping("/api/v1/workspaces/{workspaceId}")
  @Operation(summary = "Get a workspace")
  Workspace get(OperatorCaller caller, @PathVariable UUID workspaceId) {
    return workspaces.get(caller.organizationId(), workspaceId);
  }

  @PutMapping("/api/v1/workspaces/{workspaceId}")
  @Operation(summary = "Rename a workspace or change its status (inactive runs no syncs)")
  Workspace update(
      OperatorCaller caller,
      @PathVariable UUID workspaceId,
      @Valid @RequestBody WorkspaceUpdate update) {
    return workspaces.update(caller.organizationId(), workspaceId, update.name(), update.status());
  }

  @DeleteMapping("/api/v1/workspaces/{workspaceId}")
  @Operation(
      summary =
          "Delete a workspace and everything in it; revokes its tokens, keeps data already synced")
  Deleted delete(OperatorCaller caller, @PathVariable UUID workspaceId) {
    return new Deleted(workspaceId, workspaces.delete(caller.organizationId(), workspaceId));
  }

  @PostMapping("/api/v1/workspaces/{workspaceId}/revoke-tokens")
  @Operation(summary = "Revoke every scoped and widget token issued for the workspace so far")
  RevokedTokens revokeTokens(OperatorCaller caller, @PathVariable UUID workspaceId) {
    return new RevokedTokens(
        workspaceId, workspaces.revokeTokens(caller.organizationId(), workspaceId));
  }

  @GetMapping("/api/v1/regions")
  @Operation(summary = "The regions a workspace can be created in")
  RegionList regions(OperatorCaller caller) {
    return new RegionList(
        Arrays.stream(Region.values())
            .map(r -> new RegionView(r.id(), r.label(), r == Region.DEFAULT))
            .toList());
  }

  record WorkspaceUpdate(@Size(min = 1, max = 255) String name, WorkspaceStatus status) {}

  record Deleted(UUID id, Instant deletedAt) {}

  record RevokedTokens(UUID workspaceId, Instant revokedAt) {}

  record RegionView(UUID id, String name, boolean isDefault) {}

  record RegionList(List<RegionView> data) {}
}
