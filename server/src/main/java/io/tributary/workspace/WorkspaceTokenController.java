package io.tributary.workspace;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import io.tributary.common.ApiException;
import java.time.Clock;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workspaces")
class WorkspaceTokenController {

  private final WorkspaceRepository workspaces;
  private final Clock clock;

  WorkspaceTokenController(WorkspaceRepository workspaces, Clock clock) {
    this.workspaces = workspaces;
    this.clock = clock;
  }

  @PostMapping("/api/v1/workspaces/{workspaceId}/revoke-tokens")
  @Operation(summary = "Revoke every scoped and widget token issued for the workspace so far")
  RevokedTokens revokeTokens(OperatorCaller caller, @PathVariable UUID workspaceId) {
    if (!workspaces.revokeTokens(caller.organizationId(), workspaceId, clock.instant())) {
      throw ApiException.notFound("Workspace not found");
    }
    return new RevokedTokens(workspaceId, clock.instant());
  }

  record RevokedTokens(UUID workspaceId, java.time.Instant revokedAt) {}
}
