package io.tributary.job;

import io.tributary.auth.TenantScope;
import io.tributary.connector.ConnectorException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The one way work enters the lifecycle. Manual syncs, refreshes, schedules and first syncs all
 * queue through {@link #enqueueSync}, under the same rules; a discover starts here too ({@link
 * #startDiscover}); cancels go through {@link #cancel}.
 */
@Service
public class JobQueue {

  private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

  /** Why a sync was not queued, first rule first. */
  public enum Refusal {
    /** No such connection in the organization, or it (or its workspace) was deleted. */
    CONNECTION_NOT_FOUND,
    WORKSPACE_INACTIVE,
    CONNECTION_INACTIVE,
    /** The connection has a sync pending or running: one at a time. */
    ALREADY_ACTIVE
  }

  /** A queued job's id, or why none was queued. */
  public record Admission(Optional<UUID> jobId, Optional<Refusal> refusal) {
    static Admission queued(UUID id) {
      return new Admission(Optional.of(id), Optional.empty());
    }

    static Admission refused(Refusal refusal) {
      return new Admission(Optional.empty(), Optional.of(refusal));
    }
  }

  private final JobRepository jobs;
  private final JobLeases leases;
  private final Clock clock;

  JobQueue(JobRepository jobs, JobLeases leases, Clock clock) {
    this.jobs = jobs;
    this.leases = leases;
    this.clock = clock;
  }

  /**
   * Queues a sync of the connection, pending from {@code now}, unless a rule refuses it: the
   * connection must exist and be active, so must its workspace, and it may have one sync pending or
   * running at a time. Joins the caller's transaction, if any, and never breaks it: a refusal is an
   * answer, not an exception.
   */
  public Admission enqueueSync(UUID organizationId, UUID connectionId, Instant now) {
    UUID id = UUID.randomUUID();
    if (jobs.insertSync(id, organizationId, connectionId, now)) {
      return Admission.queued(id);
    }
    return Admission.refused(
        jobs.syncRefusal(organizationId, connectionId).orElse(Refusal.ALREADY_ACTIVE));
  }

  /**
   * What would refuse a sync of the connection now, checked without queuing one (a later enqueue
   * checks again).
   */
  public Optional<Refusal> syncRefusal(UUID organizationId, UUID connectionId) {
    return jobs.syncRefusal(organizationId, connectionId);
  }

  /**
   * Starts discovering a source's catalog on this node now, on a virtual thread: the job is running
   * from the start, held and heartbeated by this node like any other, and never queued again
   * ({@link JobKind#DISCOVER}). Returns at once with the job.
   *
   * <p>A cancel ends the job within a second or so; what {@code discover} finds after it is
   * dropped. {@code save} runs in the transaction that ends the job succeeded, so a catalog is kept
   * exactly when the job says it succeeded, never after a cancel was answered.
   */
  public <T> Job startDiscover(
      UUID organizationId,
      UUID workspaceId,
      UUID sourceId,
      Supplier<T> discover,
      Consumer<T> save) {
    UUID id = UUID.randomUUID();
    jobs.insertRunning(
        id,
        organizationId,
        workspaceId,
        JobKind.DISCOVER,
        sourceId,
        null,
        leases.owner(),
        clock.instant());
    JobLeases.Lease lease = leases.hold(id, leases.owner());
    Thread.ofVirtual()
        .name("job-" + id)
        .start(
            () -> {
              try (lease) {
                Optional<T> found = awaitUnlessStopped(id, lease, discover);
                if (found.isEmpty() && !lease.lost()) {
                  jobs.finish(
                      id,
                      leases.owner(),
                      JobStatus.CANCELLED,
                      null,
                      "Cancelled on request",
                      clock.instant());
                } else if (found.isPresent()) {
                  jobs.succeedUnlessCancelled(
                      id, leases.owner(), clock.instant(), () -> save.accept(found.get()));
                }
              } catch (ConnectorException e) {
                jobs.finish(
                    id,
                    leases.owner(),
                    JobStatus.FAILED,
                    e.failureType().name().toLowerCase(),
                    e.getMessage(),
                    clock.instant());
              } catch (RuntimeException e) {
                log.error("Job {} failed", id, e);
                Outcome.Failed failed = Outcome.internalError(id, e);
                jobs.finish(
                    id,
                    leases.owner(),
                    JobStatus.FAILED,
                    failed.failureType(),
                    failed.reason(),
                    clock.instant());
              }
            });
    return jobs.find(TenantScope.wholeOrganization(organizationId), id).orElseThrow();
  }

  /**
   * What {@code work} returns, checking every second whether the job was cancelled or its lease
   * lost; empty then. The work itself goes on to its own deadline, and its result is dropped.
   */
  private <T> Optional<T> awaitUnlessStopped(UUID id, JobLeases.Lease lease, Supplier<T> work) {
    CompletableFuture<T> result =
        CompletableFuture.supplyAsync(
            work, runnable -> Thread.ofVirtual().name("job-" + id + "-work").start(runnable));
    while (true) {
      try {
        return Optional.of(result.get(1, TimeUnit.SECONDS));
      } catch (TimeoutException e) {
        if (lease.lost() || jobs.cancelRequested(id)) {
          return Optional.empty();
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /**
   * Cancels the job: a pending one at once, a running one by asking its worker to stop (what it
   * committed stays). False when the job had finished already.
   */
  public boolean cancel(UUID id) {
    if (!jobs.requestCancel(id)) {
      return false;
    }
    jobs.cancelPending(id, clock.instant());
    return true;
  }

  /**
   * Cancels every sync of these connections still pending or running: they were deleted, with their
   * source or workspace, and nothing of theirs may write on (their tables go to whoever claims them
   * next). Joins the caller's transaction.
   */
  public void cancelSyncsOf(List<UUID> connectionIds) {
    if (!connectionIds.isEmpty()) {
      jobs.unfinishedSyncsOf(connectionIds).forEach(this::cancel);
    }
  }
}
