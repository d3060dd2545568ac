package io.tributary.job;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Caller;
import io.tributary.auth.TenantScope;
import io.tributary.common.NotFoundException;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class JobController {

  private final JobRepository jobs;

  JobController(JobRepository jobs) {
    this.jobs = jobs;
  }

  @GetMapping("/api/v1/jobs/{jobId}")
  @Operation(summary = "A job's status and, when it failed, why")
  Job get(Caller caller, @PathVariable UUID jobId) {
    return jobs.find(TenantScope.of(caller), jobId)
        .orElseThrow(() -> new NotFoundException(null, null, "Job not found"));
  }
}
