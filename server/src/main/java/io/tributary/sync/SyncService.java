package io.tributary.sync;

import io.tributary.auth.EndUserCaller;
import io.tributary.auth.TenantScope;
import io.tributary.common.ConflictException;
import io.tributary.common.ForbiddenException;
import io.tributary.common.NotFoundException;
import io.tributary.common.TooManyRequestsException;
import io.tributary.common.TributaryException;
import io.tributary.connection.ConnectionRecord;
import io.tributary.connection.ConnectionRefreshRepository;
import io.tributary.connection.ConnectionRepository;
import io.tributary.connectiontemplate.ConnectionTemplateRepository;
import io.tributary.connectiontemplate.ConnectionTemplateService;
import io.tributary.job.Job;
import io.tributary.job.JobQueue;
import io.tributary.job.JobRepository;
import io.tributary.job.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Syncs an operator (or, where the connection template allows it, an end user) starts: queued
 * through {@link JobQueue}, under the same rules as scheduled ones.
 */
@Service
class SyncService {

  private final JobQueue queue;
  private final ConnectionRepository connections;
  private final ConnectionRefreshRepository refreshes;
  private final SyncPlanner planner;
  private final TransactionTemplate transactions;
  private final ConnectionTemplateRepository connectionTemplates;
  private final ConnectionTemplateService templates;
  private final JobRepository jobs;
  private final Clock clock;

  SyncService(
      JobQueue queue,
      ConnectionRepository connections,
      ConnectionRefreshRepository refreshes,
      SyncPlanner planner,
      TransactionTemplate transactions,
      ConnectionTemplateRepository connectionTemplates,
      ConnectionTemplateService templates,
      JobRepository jobs,
      Clock clock) {
    this.queue = queue;
    this.connections = connections;
    this.refreshes = refreshes;
    this.planner = planner;
    this.transactions = transactions;
    this.connectionTemplates = connectionTemplates;
    this.templates = templates;
    this.jobs = jobs;
    this.clock = clock;
  }

  /**
   * Queues a sync an end user asked for (the widget's "Sync now"): only when the connection's
   * template allows it, and no sooner after the connection's previous sync than the organization's
   * minimum interval.
   */
  UUID syncForEndUser(EndUserCaller caller, UUID connectionId) {
    // another workspace's connection is not found before anything else is said of it, so that a
    // refusal never tells an end user that the id exists elsewhere (SPEC §3)
    ConnectionRecord connection =
        connections
            .findConnection(TenantScope.of(caller), connectionId)
            .orElseThrow(() -> refused(JobQueue.Refusal.CONNECTION_NOT_FOUND));
    if (connectionTemplates
        .allowingEndUserSync(List.of(connection.connectionTemplateId()))
        .isEmpty()) {
      throw new ForbiddenException(
          "Syncs of this connection run on their schedule; only the application's team may start one");
    }
    Duration minimum = templates.minimumInterval(caller.organizationId());
    Job previous =
        jobs.latestSyncs(
                new TenantScope(caller.organizationId(), connection.workspaceId(), false),
                EnumSet.allOf(JobStatus.class))
            .get(connectionId);
    if (previous != null) {
      Duration since = Duration.between(previous.createdAt(), clock.instant());
      if (since.compareTo(minimum) < 0) {
        throw new TooManyRequestsException(
            "This connection synced less than "
                + minimum.toMinutes()
                + " minutes ago; try again later",
            minimum.minus(since));
      }
    }
    return enqueue(caller.organizationId(), connectionId);
  }

  /** Queues a sync of the connection now; the job's id. */
  UUID sync(UUID organizationId, UUID connectionId) {
    return enqueue(organizationId, connectionId);
  }

  /**
   * Queues a sync that reads the named incremental streams (all of them when null) from the start.
   */
  UUID refresh(UUID organizationId, UUID connectionId, List<String> streams) {
    queue
        .syncRefusal(organizationId, connectionId)
        .ifPresent(
            refusal -> {
              throw refused(refusal);
            });
    ConnectionRecord connection =
        connections
            .findConnection(TenantScope.wholeOrganization(organizationId), connectionId)
            .orElseThrow(() -> refused(JobQueue.Refusal.CONNECTION_NOT_FOUND));
    Map<String, String> incremental = planner.incrementalStateKeys(connection);
    List<String> named = streams == null ? List.copyOf(incremental.keySet()) : streams;
    for (String stream : named) {
      if (!incremental.containsKey(stream)) {
        throw new NotFoundException(
            null,
            null,
            "Stream '"
                + stream
                + "' is not an incremental stream of this connection; "
                + "full-refresh streams read everything on every sync");
      }
    }
    return transactions.execute(
        status -> {
          UUID queued = enqueue(organizationId, connectionId);
          refreshes.request(
              connectionId, named.stream().map(incremental::get).toList(), clock.instant());
          return queued;
        });
  }

  private UUID enqueue(UUID organizationId, UUID connectionId) {
    JobQueue.Admission admission = queue.enqueueSync(organizationId, connectionId, clock.instant());
    return admission.jobId().orElseThrow(() -> refused(admission.refusal().orElseThrow()));
  }

  private static TributaryException refused(JobQueue.Refusal refusal) {
    return switch (refusal) {
      case CONNECTION_NOT_FOUND -> new NotFoundException(null, null, "Connection not found");
      case WORKSPACE_INACTIVE ->
          new ConflictException("The workspace is inactive: it runs no syncs");
      case CONNECTION_INACTIVE ->
          new ConflictException("The connection is inactive: activate it to sync");
      case ALREADY_ACTIVE ->
          new ConflictException("A sync of this connection is already pending or running");
    };
  }
}
