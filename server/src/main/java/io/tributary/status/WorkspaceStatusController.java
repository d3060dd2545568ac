package io.tributary.status;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Caller;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workspaces")
class WorkspaceStatusController {

  private final WorkspaceStatusService status;

  WorkspaceStatusController(WorkspaceStatusService status) {
    this.status = status;
  }

  @GetMapping("/api/v1/workspaces/{workspaceId}/status")
  @Operation(
      summary =
          "A workspace's health in one call: sources' credentials, each connection's last sync, last success, next run and failing streams")
  WorkspaceStatusReport status(Caller caller, @PathVariable UUID workspaceId) {
    return status.status(caller, workspaceId);
  }
}
