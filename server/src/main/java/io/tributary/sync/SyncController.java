package io.tributary.sync;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Caller;
import io.tributary.auth.EndUserCaller;
import io.tributary.auth.OperatorCaller;
import io.tributary.auth.TenantScope;
import io.tributary.common.ConflictException;
import io.tributary.common.NotFoundException;
import io.tributary.common.Page;
import io.tributary.common.PageLinks;
import io.tributary.common.PageRequest;
import io.tributary.job.Job;
import io.tributary.job.JobLogRepository;
import io.tributary.job.JobQueue;
import io.tributary.job.JobRepository;
import io.tributary.job.JobStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Starting, cancelling and following syncs (SPEC §11). Syncs are started by operators, and by end
 * users where the connection template allows it; end users read their jobs.
 */
@RestController
@Tag(name = "Jobs")
class SyncController {

  private final SyncService syncs;
  private final JobQueue queue;
  private final JobRepository jobs;
  private final JobLogRepository logs;

  SyncController(SyncService syncs, JobQueue queue, JobRepository jobs, JobLogRepository logs) {
    this.syncs = syncs;
    this.queue = queue;
    this.jobs = jobs;
    this.logs = logs;
  }

  @PostMapping("/api/v1/connections/{connectionId}/sync")
  @Operation(
      summary =
          "Start a sync now: 202 with the job; 409 when one is already pending or running. "
              + "A scoped token may sync its workspace's connection when the connection template sets "
              + "allow_end_user_sync (403 otherwise), at most once per minimum interval (429)")
  ResponseEntity<Job> sync(Caller caller, @PathVariable UUID connectionId) {
    UUID job =
        switch (caller) {
          case EndUserCaller endUser -> syncs.syncForEndUser(endUser, connectionId);
          default -> syncs.sync(caller.organizationId(), connectionId);
        };
    return accepted(caller, job);
  }

  @PostMapping("/api/v1/connections/{connectionId}/refresh")
  @Operation(
      summary =
          "Sync incremental streams again from the start (all, or those named), merging into the destination; "
              + "202 with the job")
  ResponseEntity<Job> refresh(
      OperatorCaller caller,
      @PathVariable UUID connectionId,
      @RequestBody(required = false) @Valid RefreshRequest request) {
    return accepted(
        caller,
        syncs.refresh(
            caller.organizationId(), connectionId, request == null ? null : request.streams()));
  }

  record RefreshRequest(List<@NotNull @Size(min = 1, max = 255) String> streams) {}

  private ResponseEntity<Job> accepted(Caller caller, UUID job) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(jobs.find(TenantScope.of(caller), job).orElseThrow());
  }

  @PostMapping("/api/v1/jobs/{jobId}/cancel")
  @Operation(summary = "Cancel a pending or running job; what was committed stays")
  Job cancel(OperatorCaller caller, @PathVariable UUID jobId) {
    Job job =
        jobs.find(TenantScope.of(caller), jobId)
            .orElseThrow(() -> new NotFoundException(null, null, "Job not found"));
    if (!queue.cancel(jobId)) {
      throw new ConflictException("The job has already finished (" + job.status().value() + ")");
    }
    return jobs.find(TenantScope.of(caller), jobId).orElseThrow();
  }

  @GetMapping("/api/v1/jobs")
  @Operation(summary = "List jobs, newest first, by connection, workspace or status")
  Page<Job> list(
      Caller caller,
      @RequestParam(name = "connection_id", required = false) UUID connectionId,
      @RequestParam(name = "workspace_id", required = false) UUID workspaceId,
      @RequestParam(required = false)
          @Parameter(
              schema =
                  @Schema(type = "string", pattern = "pending|running|succeeded|failed|cancelled"))
          JobStatus status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    TenantScope scope = TenantScope.of(caller).narrowedTo(workspaceId);
    PageRequest page = PageRequest.of(limit, cursor);
    List<Job> rows = jobs.page(scope, connectionId, status, page);
    return page.page(rows, j -> new PageRequest.Key(j.createdAt(), j.id()), links);
  }

  @GetMapping("/api/v1/jobs/{jobId}/logs")
  @Operation(summary = "The job's log lines")
  JobLogs logs(Caller caller, @PathVariable UUID jobId) {
    jobs.find(TenantScope.of(caller), jobId)
        .orElseThrow(() -> new NotFoundException(null, null, "Job not found"));
    return new JobLogs(jobId, logs.lines(jobId));
  }

  record JobLogs(UUID jobId, List<String> logs) {}
}
