package io.tributary.status;

import io.tributary.auth.Caller;
import io.tributary.auth.TenantScope;
import io.tributary.common.NotFoundException;
import io.tributary.connection.ConnectionRecord;
import io.tributary.connection.ConnectionRepository;
import io.tributary.connectiontemplate.ConnectionTemplateRepository;
import io.tributary.job.Job;
import io.tributary.job.JobRepository;
import io.tributary.job.JobStatus;
import io.tributary.source.SourceRecord;
import io.tributary.source.SourceRepository;
import io.tributary.status.WorkspaceStatusReport.ConnectionState;
import io.tributary.status.WorkspaceStatusReport.LastSuccess;
import io.tributary.status.WorkspaceStatusReport.LastSync;
import io.tributary.status.WorkspaceStatusReport.SourceState;
import io.tributary.workspace.Workspace;
import io.tributary.workspace.WorkspaceService;
import io.tributary.workspace.WorkspaceStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Puts a workspace's status together from the tables' own repositories: a handful of statements for
 * the whole workspace, whatever its number of connections.
 */
@Service
public class WorkspaceStatusService {

  private static final EnumSet<JobStatus> FINISHED =
      EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);
  private static final EnumSet<JobStatus> ACTIVE = EnumSet.of(JobStatus.PENDING, JobStatus.RUNNING);

  private final WorkspaceService workspaces;
  private final SourceRepository sources;
  private final ConnectionRepository connections;
  private final JobRepository jobs;
  private final ConnectionTemplateRepository connectionTemplates;

  WorkspaceStatusService(
      WorkspaceService workspaces,
      SourceRepository sources,
      ConnectionRepository connections,
      JobRepository jobs,
      ConnectionTemplateRepository connectionTemplates) {
    this.workspaces = workspaces;
    this.sources = sources;
    this.connections = connections;
    this.jobs = jobs;
    this.connectionTemplates = connectionTemplates;
  }

  /**
   * The workspace's status, for an operator of its organization or its own end user; anyone else is
   * told it does not exist.
   */
  // read-only and repeatable read: the statements below see one moment, so a sync finishing
  // between them cannot show as both running and finished
  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public WorkspaceStatusReport status(Caller caller, UUID workspaceId) {
    if (!TenantScope.of(caller).includes(workspaceId)) {
      throw new NotFoundException("Workspace", workspaceId);
    }
    Workspace workspace = workspaces.get(caller.organizationId(), workspaceId);
    TenantScope scope = new TenantScope(caller.organizationId(), workspaceId, false);

    List<SourceRecord> sourceRows = sources.allLive(scope);
    List<ConnectionRecord> connectionRows = connections.allLive(scope);
    Map<UUID, Job> lastSyncs = jobs.latestSyncs(scope, FINISHED);
    Map<UUID, Job> lastSuccesses = jobs.latestSyncs(scope, EnumSet.of(JobStatus.SUCCEEDED));
    Map<UUID, Job> active = jobs.latestSyncs(scope, ACTIVE);

    Map<UUID, List<UUID>> connectionsOfSource = new LinkedHashMap<>();
    connectionRows.forEach(
        c -> connectionsOfSource.computeIfAbsent(c.sourceId(), s -> new ArrayList<>()).add(c.id()));
    List<SourceState> sourceStates =
        sourceRows.stream()
            .map(
                s ->
                    new SourceState(
                        s.id(),
                        s.name(),
                        s.definitionId(),
                        s.credentialsValid() ? "ok" : "invalid",
                        connectionsOfSource.getOrDefault(s.id(), List.of())))
            .toList();

    Set<UUID> syncable =
        connectionTemplates.allowingEndUserSync(
            connectionRows.stream()
                .map(ConnectionRecord::connectionTemplateId)
                .distinct()
                .toList());
    boolean workspaceActive = workspace.status() == WorkspaceStatus.ACTIVE;
    List<ConnectionState> connectionStates =
        connectionRows.stream()
            .map(
                c ->
                    connection(
                        c,
                        lastSyncs.get(c.id()),
                        lastSuccesses.get(c.id()),
                        active.containsKey(c.id()),
                        workspaceActive,
                        syncable.contains(c.connectionTemplateId())))
            .toList();

    boolean healthy =
        sourceStates.stream().allMatch(s -> s.credentialsStatus().equals("ok"))
            && connectionStates.stream()
                .filter(c -> c.status().equals("active"))
                .allMatch(
                    c ->
                        c.lastSync() == null
                            || !c.lastSync().status().equals(JobStatus.FAILED.value()));
    return new WorkspaceStatusReport(
        workspace.id(),
        workspace.name(),
        workspace.status(),
        sourceStates,
        connectionStates,
        healthy);
  }

  private static ConnectionState connection(
      ConnectionRecord c,
      Job last,
      Job success,
      boolean running,
      boolean workspaceActive,
      boolean endUserSync) {
    boolean active = c.status().equals("active");
    return new ConnectionState(
        c.id(),
        c.sourceId(),
        c.destinationId(),
        c.status(),
        "credentials".equals(c.pausedBy()) ? "credentials_invalid" : c.pausedBy(),
        last == null
            ? null
            : new LastSync(
                last.id(),
                last.status().value(),
                last.startedAt(),
                last.finishedAt(),
                recordsCommitted(last),
                last.failureType(),
                last.failureReason()),
        success == null
            ? null
            : new LastSuccess(success.id(), success.finishedAt(), recordsCommitted(success)),
        // the scheduler keeps computing next times for paused connections, but they will not run
        active && workspaceActive ? c.nextSyncAt() : null,
        running,
        last != null && last.status() == JobStatus.FAILED ? failedStreams(last) : List.of(),
        endUserSync);
  }

  private static long recordsCommitted(Job job) {
    long total = 0;
    if (job.streams() != null) {
      for (JsonNode stream : job.streams().values()) {
        total += stream.path("records_committed").asLong(0);
      }
    }
    return total;
  }

  /**
   * The streams the sync worker marked as the one whose failure ended the attempt. A failure
   * outside any stream (the source's check, a schema change, a crash before reading) marks none.
   */
  private static List<String> failedStreams(Job job) {
    List<String> failed = new ArrayList<>();
    if (job.streams() != null) {
      for (var stream : job.streams().properties()) {
        if (stream.getValue().path("failed").asBoolean(false)) {
          failed.add(stream.getKey());
        }
      }
    }
    return failed;
  }
}
