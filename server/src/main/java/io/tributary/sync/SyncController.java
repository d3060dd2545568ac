package io.tributary.sync;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.TributaryProperties;
import io.tributary.auth.Caller;
import io.tributary.auth.EndUserCaller;
import io.tributary.auth.OperatorCaller;
import io.tributary.common.ApiException;
import io.tributary.common.Page;
import io.tributary.common.PageRequest;
import io.tributary.connection.ConnectionRecord;
import io.tributary.connection.ConnectionRepository;
import io.tributary.job.Job;
import io.tributary.job.JobRepository;
import io.tributary.workspace.WorkspaceRepository;
import io.tributary.workspace.WorkspaceStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Starting, cancelling and following syncs (SPEC §11). Syncs are started by operators; end users read their jobs. */
@RestController
@Tag(name = "Jobs")
class SyncController {

  private final SyncJobRepository queue;
  private final JobRepository jobs;
  private final ConnectionRepository connections;
  private final WorkspaceRepository workspaces;
  private final SyncPlanner planner;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final String publicUrl;

  SyncController(SyncJobRepository queue, JobRepository jobs, ConnectionRepository connections, WorkspaceRepository workspaces,
      SyncPlanner planner, TransactionTemplate transactions, Clock clock, TributaryProperties properties) {
    this.queue = queue;
    this.jobs = jobs;
    this.connections = connections;
    this.workspaces = workspaces;
    this.planner = planner;
    this.transactions = transactions;
    this.clock = clock;
    this.publicUrl = properties.configuredPublicUrl();
  }

  @PostMapping("/api/v1/connections/{connectionId}/sync")
  @Operation(summary = "Start a sync now: 202 with the job; 409 when one is already pending or running")
  ResponseEntity<Job> sync(OperatorCaller caller, @PathVariable UUID connectionId) {
    ConnectionRecord connection = startable(caller, connectionId);
    return accepted(caller, enqueue(caller, connection));
  }

  @PostMapping("/api/v1/connections/{connectionId}/refresh")
  @Operation(summary = "Sync incremental streams again from the start (all, or those named), merging into the destination; "
      + "202 with the job")
  ResponseEntity<Job> refresh(OperatorCaller caller, @PathVariable UUID connectionId,
      @RequestBody(required = false) @Valid RefreshRequest request) {
    ConnectionRecord connection = startable(caller, connectionId);
    Map<String, String> incremental = planner.incrementalStateKeys(connection);
    List<String> named = request == null || request.streams() == null ? List.copyOf(incremental.keySet()) : request.streams();
    for (String stream : named) {
      if (!incremental.containsKey(stream)) {
        throw ApiException.notFound("Stream '" + stream + "' is not an incremental stream of this connection; "
            + "full-refresh streams read everything on every sync");
      }
    }
    UUID job = transactions.execute(status -> {
      UUID queued = enqueue(caller, connection);
      queue.requestRefresh(connection.id(), named.stream().map(incremental::get).toList(), clock.instant());
      return queued;
    });
    return accepted(caller, job);
  }

  record RefreshRequest(List<@Size(min = 1, max = 255) String> streams) {}

  private ConnectionRecord startable(OperatorCaller caller, UUID connectionId) {
    ConnectionRecord connection = connections.findConnection(caller.organizationId(), null, connectionId)
        .orElseThrow(() -> ApiException.notFound("Connection not found"));
    var workspace = workspaces.findLive(caller.organizationId(), connection.workspaceId()).orElseThrow();
    if (workspace.status() != WorkspaceStatus.ACTIVE) {
      throw ApiException.conflict("The workspace is inactive: it runs no syncs");
    }
    if (!"active".equals(connection.status())) {
      throw ApiException.conflict("The connection is inactive: activate it to sync");
    }
    return connection;
  }

  private UUID enqueue(OperatorCaller caller, ConnectionRecord connection) {
    return queue.enqueue(caller.organizationId(), connection.workspaceId(), connection.id(), clock.instant())
        .orElseThrow(() -> ApiException.conflict("A sync of this connection is already pending or running"));
  }

  private ResponseEntity<Job> accepted(OperatorCaller caller, UUID job) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(jobs.find(caller.organizationId(), null, job).orElseThrow());
  }

  @PostMapping("/api/v1/jobs/{jobId}/cancel")
  @Operation(summary = "Cancel a pending or running job; what was committed stays")
  Job cancel(OperatorCaller caller, @PathVariable UUID jobId) {
    Job job = jobs.find(caller.organizationId(), null, jobId).orElseThrow(() -> ApiException.notFound("Job not found"));
    if (!queue.requestCancel(jobId)) {
      throw ApiException.conflict("The job has already finished (" + job.status() + ")");
    }
    queue.cancelPending(jobId, clock.instant());
    return jobs.find(caller.organizationId(), null, jobId).orElseThrow();
  }

  @GetMapping("/api/v1/jobs")
  @Operation(summary = "List jobs, newest first, by connection, workspace or status")
  Page<Job> list(
      Caller caller,
      @RequestParam(name = "connection_id", required = false) UUID connectionId,
      @RequestParam(name = "workspace_id", required = false) UUID workspaceId,
      @RequestParam(required = false)
      @Pattern(regexp = "pending|running|succeeded|failed|cancelled", message = "value is not a valid enumeration member") String status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      HttpServletRequest request) {
    UUID scope = workspaceId;
    if (caller instanceof EndUserCaller endUser) {
      if (workspaceId != null && !workspaceId.equals(endUser.workspaceId())) {
        throw ApiException.forbidden();
      }
      scope = endUser.workspaceId();
    }
    PageRequest page = PageRequest.of(limit, cursor);
    List<Job> rows = jobs.page(caller.organizationId(), scope, connectionId, status, page);
    return page.page(rows, j -> new PageRequest.Key(j.createdAt(), j.id()), request, publicUrl);
  }

  @GetMapping("/api/v1/jobs/{jobId}/logs")
  @Operation(summary = "The job's log lines")
  JobLogs logs(Caller caller, @PathVariable UUID jobId) {
    UUID workspace = caller instanceof EndUserCaller endUser ? endUser.workspaceId() : null;
    jobs.find(caller.organizationId(), workspace, jobId).orElseThrow(() -> ApiException.notFound("Job not found"));
    return new JobLogs(jobId, queue.logs(jobId));
  }

  record JobLogs(UUID jobId, List<String> logs) {}
}
