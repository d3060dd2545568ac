package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.auth.TenantScope;
import io.tributary.testing.LifecycleDatabase;
import io.tributary.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The job lifecycle on a real PostgreSQL, without Spring or HTTP: its moves and the rules that
 * refuse impossible ones, fencing by worker id, retries by the policy, the abandoned-job sweep,
 * cancel. Time is a settable clock moved by the test; work runs through the "now" hooks, never by
 * waiting for a poll.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JobLifecycleTest {

  private static LifecycleDatabase database;

  private final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private final Lifecycle lifecycle = new Lifecycle(database, clock);
  private final LifecycleDatabase.Tenant tenant = database.tenant(null);

  @BeforeAll
  static void migrate() {
    database = new LifecycleDatabase();
  }

  @Test
  void statusesAreTheTablesAndOnlyTheLifecyclesMovesAreMade() {
    String check =
        database
            .jdbc
            .sql(
                "select pg_get_constraintdef(oid) from pg_constraint where conname = 'jobs_status_check'")
            .query(String.class)
            .single();
    for (JobStatus status : JobStatus.values()) {
      assertThat(check).as("the table allows %s", status).contains("'" + status.value() + "'");
    }
    assertThat(JobStatus.PENDING.next())
        .containsExactlyInAnyOrder(JobStatus.RUNNING, JobStatus.CANCELLED);
    assertThat(JobStatus.RUNNING.next())
        .containsExactlyInAnyOrder(
            JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.PENDING);
    assertThat(List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED))
        .allMatch(JobStatus::finished);

    UUID job = enqueue(database.connection(tenant));
    assertThat(finish(job, "anyone", JobStatus.SUCCEEDED, null, null))
        .as("a pending job cannot succeed: nobody ran it")
        .isFalse();
    assertThat(database.job(job, "status")).isEqualTo("pending");
    assertThatThrownBy(() -> finish(job, "anyone", JobStatus.PENDING, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobStatus.CANCELLED.requireMoveTo(JobStatus.RUNNING))
        .isInstanceOf(IllegalStateException.class);

    assertThat(lifecycle.queue.cancel(job)).as("a pending job is cancelled at once").isTrue();
    assertThat(database.job(job, "status")).isEqualTo("cancelled");
    assertThat(database.job(job, "finished_at")).isNotNull();
    assertThat(lifecycle.queue.cancel(job)).as("a finished job stays as it ended").isFalse();
  }

  @Test
  void everySyncIsQueuedUnderTheSameRules() {
    UUID connection = database.connection(tenant);
    JobQueue queue = lifecycle.queue;
    assertThat(
            queue
                .enqueueSync(tenant.organizationId(), UUID.randomUUID(), clock.instant())
                .refusal())
        .contains(JobQueue.Refusal.CONNECTION_NOT_FOUND);
    assertThat(
            queue
                .enqueueSync(database.tenant(null).organizationId(), connection, clock.instant())
                .refusal())
        .as("another organization's connection")
        .contains(JobQueue.Refusal.CONNECTION_NOT_FOUND);

    JobQueue.Admission first =
        queue.enqueueSync(tenant.organizationId(), connection, clock.instant());
    assertThat(first.jobId()).isPresent();
    assertThat(database.job(first.jobId().orElseThrow(), "status")).isEqualTo("pending");
    assertThat(queue.enqueueSync(tenant.organizationId(), connection, clock.instant()).refusal())
        .as("one sync at a time per connection")
        .contains(JobQueue.Refusal.ALREADY_ACTIVE);
    assertThat(queue.syncRefusal(tenant.organizationId(), connection))
        .contains(JobQueue.Refusal.ALREADY_ACTIVE);
    queue.cancel(first.jobId().orElseThrow());
    assertThat(queue.syncRefusal(tenant.organizationId(), connection)).isEmpty();

    database
        .jdbc
        .sql("update connections set status = 'inactive' where id = ?")
        .param(connection)
        .update();
    assertThat(queue.enqueueSync(tenant.organizationId(), connection, clock.instant()).refusal())
        .contains(JobQueue.Refusal.CONNECTION_INACTIVE);
    database
        .jdbc
        .sql("update workspaces set status = 'inactive' where id = ?")
        .param(tenant.workspaceId())
        .update();
    assertThat(queue.enqueueSync(tenant.organizationId(), connection, clock.instant()).refusal())
        .as("the workspace's rule comes first")
        .contains(JobQueue.Refusal.WORKSPACE_INACTIVE);
    assertThat(
            database
                .jdbc
                .sql("select count(*) from jobs where connection_id = ?")
                .param(connection)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void oneSyncOfASourceRunsAtATime() {
    UUID toTheWarehouse = database.connection(tenant);
    UUID toTheLake = database.connectionOfTheSameSource(tenant, toTheWarehouse);
    UUID elsewhere = database.connection(tenant);
    UUID first = enqueue(toTheWarehouse);
    clock.advance(Duration.ofSeconds(1));
    UUID second = enqueue(toTheLake);
    clock.advance(Duration.ofSeconds(1));
    UUID other = enqueue(elsewhere);

    assertThat(
            lifecycle.jobs.claim("worker-a", tenant.regionId(), 10, clock.instant(), 10).stream()
                .map(JobRepository.Claimed::id))
        .as("the source's second sync waits; another source's runs")
        .containsExactlyInAnyOrder(first, other);
    assertThat(lifecycle.jobs.claim("worker-b", tenant.regionId(), 10, clock.instant())).isEmpty();

    assertThat(finish(first, "worker-a#1", JobStatus.SUCCEEDED, null, null)).isTrue();
    assertThat(claim("worker-b")).isEqualTo(second);
  }

  @Test
  void onlyTheWorkerHoldingAJobMovesItAndADeadWorkersJobGoesBackToTheQueue() {
    UUID job = enqueue(database.connection(tenant));
    assertThat(claim("worker-a")).isEqualTo(job);
    assertThat(database.job(job, "status")).isEqualTo("running");
    assertThat(database.job(job, "attempts")).isEqualTo("1");
    assertThat(heartbeat(job, "worker-b")).as("only the holder heartbeats").isFalse();
    assertThat(finish(job, "worker-b", JobStatus.SUCCEEDED, null, null)).isFalse();
    assertThat(database.job(job, "status")).isEqualTo("running");

    clock.advance(Lifecycle.ABANDONED_AFTER.minusSeconds(1));
    assertThat(lifecycle.leases.sweepNow()).as("silent, but not for long enough").isZero();
    assertThat(heartbeat(job, "worker-a#1")).isTrue();
    clock.advance(Lifecycle.ABANDONED_AFTER.plusSeconds(1));
    assertThat(lifecycle.leases.sweepNow()).isEqualTo(1);
    assertThat(database.job(job, "status"))
        .as("worker-a died: its sync waits for another worker")
        .isEqualTo("pending");
    assertThat(database.job(job, "worker")).isNull();
    assertThat(database.job(job, "failure_type")).isEqualTo("system_error");

    assertThat(claim("worker-b")).isEqualTo(job);
    assertThat(database.job(job, "attempts")).isEqualTo("2");
    assertThat(heartbeat(job, "worker-a#1")).as("worker-a comes back: fenced off").isFalse();
    assertThat(finish(job, "worker-a#1", JobStatus.FAILED, "system_error", "late")).isFalse();
    assertThat(finish(job, "worker-b#2", JobStatus.SUCCEEDED, null, null)).isTrue();
    assertThat(finish(job, "worker-b#2", JobStatus.FAILED, null, null))
        .as("a finished job never moves again")
        .isFalse();
    assertThat(database.job(job, "status")).isEqualTo("succeeded");
  }

  @Test
  void aJobCancelledWhileItsNodeWasDyingIsCancelledByTheSweepNotQueuedAgain() {
    UUID job = enqueue(database.connection(tenant));
    assertThat(claim("dying")).isEqualTo(job);
    assertThat(lifecycle.queue.cancel(job)).as("asked of the running job's worker").isTrue();
    clock.advance(Lifecycle.ABANDONED_AFTER.plusSeconds(1));
    assertThat(lifecycle.leases.sweepNow()).isEqualTo(1);
    assertThat(database.job(job, "status")).isEqualTo("cancelled");
    assertThat(database.job(job, "finished_at")).isNotNull();
  }

  @Test
  void aNodeThatStalledAndClaimedItsJobAgainHoldsItOnlyWithItsNewAttempt() {
    UUID job = enqueue(database.connection(tenant));
    assertThat(claim("node")).isEqualTo(job);
    assertThat(database.job(job, "worker")).isEqualTo("node#1");
    clock.advance(Lifecycle.ABANDONED_AFTER.plusSeconds(1));
    assertThat(lifecycle.leases.sweepNow()).as("the node stalled past its lease").isEqualTo(1);
    assertThat(claim("node")).as("and, back, claims the job again").isEqualTo(job);
    assertThat(heartbeat(job, "node#1")).as("the stalled attempt learns it lost the job").isFalse();
    assertThat(finish(job, "node#1", JobStatus.SUCCEEDED, null, null)).isFalse();
    assertThat(heartbeat(job, "node#2")).isTrue();
    assertThat(finish(job, "node#2", JobStatus.SUCCEEDED, null, null)).isTrue();
  }

  @Test
  void theSweepGivesUpOnASyncOnceItsAttemptsAreUsedAndNeverRequeuesADiscover() throws Exception {
    UUID job = enqueue(database.connection(tenant));
    int attempts = JobKind.SYNC.retryPolicy().maxAttempts();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      assertThat(claim("dies-" + attempt)).isEqualTo(job);
      clock.advance(Lifecycle.ABANDONED_AFTER.plusSeconds(1));
      lifecycle.leases.sweepNow();
      assertThat(database.job(job, "status"))
          .as("after attempt %d", attempt)
          .isEqualTo(attempt < attempts ? "pending" : "failed");
    }
    assertThat(database.job(job, "failure_reason"))
        .isEqualTo("The node running this job stopped before it finished");
    assertThat(
            database
                .jdbc
                .sql("select finished_at from jobs where id = ?")
                .param(job)
                .query(java.sql.Timestamp.class)
                .single()
                .toInstant())
        .as("failed when the sweep saw it")
        .isEqualTo(clock.instant());

    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> ran = new CompletableFuture<>();
    Job discover =
        lifecycle.queue.startDiscover(
            tenant.organizationId(),
            tenant.workspaceId(),
            null,
            () -> {
              try {
                release.await();
                ran.complete(null);
              } catch (InterruptedException e) {
                ran.completeExceptionally(e);
              }
              return "catalog";
            },
            catalog -> {});
    assertThat(discover.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(discover.kind()).isEqualTo(JobKind.DISCOVER);
    assertThat(database.job(discover.id(), "worker"))
        .as("held like any job")
        .isEqualTo(lifecycle.leases.owner());
    clock.advance(Lifecycle.ABANDONED_AFTER.plusSeconds(1));
    lifecycle.leases.sweepNow();
    assertThat(database.job(discover.id(), "status"))
        .as("a discover is never queued again")
        .isEqualTo("failed");
    release.countDown();
    ran.get(10, TimeUnit.SECONDS);
    assertThat(
            lifecycle
                .jobs
                .find(TenantScope.wholeOrganization(tenant.organizationId()), discover.id())
                .orElseThrow()
                .status())
        .as("the late finish of a swept job changes nothing")
        .isEqualTo(JobStatus.FAILED);
  }

  @Test
  void transientFailuresAreRetriedWithTheirBackoffUntilThePolicyGivesUp() {
    UUID job = enqueue(database.connection(tenant));
    JobWorker worker =
        worker(
            running -> new Outcome.Failed("transient_error", "the source said 503", true),
            running -> new Outcome.Failed("transient_error", "the source said 503", true),
            running -> new Outcome.Failed("transient_error", "the source said 503 again", true));
    RetryPolicy policy = JobKind.SYNC.retryPolicy();

    assertThat(worker.runDueNow()).isEqualTo(1);
    assertThat(database.job(job, "status")).isEqualTo("pending");
    assertThat(worker.runDueNow()).as("not before its backoff").isZero();
    clock.advance(policy.backoffAfter(1).minusMillis(1));
    assertThat(worker.runDueNow()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(worker.runDueNow()).isEqualTo(1);
    assertThat(policy.backoffAfter(2)).isEqualTo(policy.backoffAfter(1).multipliedBy(2));
    clock.advance(policy.backoffAfter(2));
    assertThat(worker.runDueNow()).isEqualTo(1);

    assertThat(database.job(job, "status")).isEqualTo("failed");
    assertThat(database.job(job, "attempts")).isEqualTo(Integer.toString(policy.maxAttempts()));
    assertThat(database.job(job, "failure_reason")).isEqualTo("the source said 503 again");
    assertThat(lifecycle.logs.lines(job))
        .extracting(line -> line.substring(line.indexOf(' ') + 1))
        .containsExactly(
            "Retrying in 10 s", "Retrying in 20 s", "the source said 503 again", "Job failed");
    assertThat(worker.runDueNow()).isZero();
  }

  @Test
  void aJobCancelledWhileItsAttemptFailedIsCancelledNotRetried() {
    UUID job = enqueue(database.connection(tenant));
    JobWorker worker =
        worker(
            running -> {
              // the cancel lands while the attempt is failing, before its worker saw it
              lifecycle.queue.cancel(job);
              return new Outcome.Failed("transient_error", "the source said 503", true);
            });
    assertThat(worker.runDueNow()).isEqualTo(1);
    assertThat(database.job(job, "status")).isEqualTo("cancelled");
    clock.advance(JobKind.SYNC.retryPolicy().backoffAfter(1));
    assertThat(worker.runDueNow()).as("nothing runs it again").isZero();
  }

  @Test
  void configErrorsAreNotRetriedAndUnexpectedErrorsPointToTheServerLog() {
    UUID config = enqueue(database.connection(tenant));
    // claimed oldest first: the first answer is this job's
    clock.advance(Duration.ofSeconds(1));
    UUID crash = enqueue(database.connection(tenant));
    JobWorker worker =
        worker(
            running -> new Outcome.Failed("config_error", "bad password", false),
            running -> {
              throw new IllegalStateException("select * from secrets");
            });
    assertThat(worker.runDueNow()).isEqualTo(2);
    assertThat(database.job(config, "status")).isEqualTo("failed");
    assertThat(database.job(config, "attempts")).isEqualTo("1");
    assertThat(database.job(crash, "failure_type")).isEqualTo("system_error");
    assertThat(database.job(crash, "failure_reason"))
        .contains("server log", crash.toString())
        .doesNotContain("secrets");
  }

  @Test
  void aCancelRequestStopsTheRunningJobAndALostLeaseMakesNoMove() throws Exception {
    UUID job = enqueue(database.connection(tenant));
    CountDownLatch running = new CountDownLatch(1);
    JobWorker worker =
        worker(
            attempt -> {
              CountDownLatch stopped = new CountDownLatch(1);
              attempt.onStop(stopped::countDown);
              running.countDown();
              try {
                return stopped.await(30, TimeUnit.SECONDS)
                    ? new Outcome.Cancelled("Cancelled on request")
                    : Outcome.succeeded();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    CompletableFuture<Integer> ran = CompletableFuture.supplyAsync(worker::runDueNow);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lifecycle.queue.cancel(job)).isTrue();
    assertThat(database.job(job, "status"))
        .as("a running job stops at its worker's next check")
        .isEqualTo("running");
    assertThat(ran.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(database.job(job, "status")).isEqualTo("cancelled");
    assertThat(lifecycle.logs.lines(job)).last().asString().endsWith("Job cancelled");

    UUID taken = enqueue(database.connection(tenant));
    JobWorker loser =
        worker(
            attempt -> {
              // another worker holds the job now, as after a sweep while this one was cut off
              // from the database
              database
                  .jdbc
                  .sql("update jobs set worker = 'someone-else' where id = ?")
                  .param(attempt.id())
                  .update();
              return Outcome.succeeded();
            });
    assertThat(loser.runDueNow()).isEqualTo(1);
    assertThat(database.job(taken, "status"))
        .as("the finish is fenced by worker id")
        .isEqualTo("running");
    finish(taken, "someone-else", JobStatus.SUCCEEDED, null, null);
  }

  /**
   * A cancelled discover ends cancelled without waiting for its connector, and what the connector
   * finds after the cancel is not kept, even when it arrives before the job notices the cancel.
   */
  @Test
  void aCancelledDiscoverEndsCancelledAndKeepsNothingItFindsAfter() throws Exception {
    List<String> kept = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch hung = new CountDownLatch(1);
    Job stuck =
        lifecycle.queue.startDiscover(
            tenant.organizationId(), tenant.workspaceId(), null, () -> await(hung), kept::add);
    assertThat(lifecycle.queue.cancel(stuck.id())).isTrue();
    org.awaitility.Awaitility.await("the hung discover " + stuck.id() + " ends cancelled")
        .atMost(Duration.ofSeconds(10))
        .until(() -> database.job(stuck.id(), "status").equals("cancelled"));
    hung.countDown();

    CountDownLatch release = new CountDownLatch(1);
    Job late =
        lifecycle.queue.startDiscover(
            tenant.organizationId(), tenant.workspaceId(), null, () -> await(release), kept::add);
    assertThat(lifecycle.queue.cancel(late.id())).isTrue();
    release.countDown(); // found at once, before the job's next check for a cancel
    org.awaitility.Awaitility.await("the discover " + late.id() + " ends")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !database.job(late.id(), "status").equals("running"));
    assertThat(database.job(late.id(), "status")).isEqualTo("cancelled");
    assertThat(lifecycle.queue.cancel(late.id())).as("finished").isFalse();

    Job uncancelled =
        lifecycle.queue.startDiscover(
            tenant.organizationId(), tenant.workspaceId(), null, () -> "found", kept::add);
    org.awaitility.Awaitility.await("the discover " + uncancelled.id() + " ends")
        .atMost(Duration.ofSeconds(10))
        .until(() -> database.job(uncancelled.id(), "status").equals("succeeded"));
    assertThat(kept)
        .as("only the discover nobody cancelled kept its catalog")
        .containsExactly("found");
  }

  private static String await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
      return "found after the cancel";
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aWorkerThatLostItsJobIsToldSoBeforeItWritesAnythingMore() {
    UUID job = enqueue(database.connection(tenant));
    List<Boolean> answers = new java.util.ArrayList<>();
    JobWorker worker =
        worker(
            attempt -> {
              answers.add(attempt.renewLease());
              answers.add(database.transactions.execute(status -> attempt.holdsLease()));
              // swept while this worker was paused, and claimed by another
              database
                  .jdbc
                  .sql("update jobs set worker = 'someone-else' where id = ?")
                  .param(attempt.id())
                  .update();
              answers.add(database.transactions.execute(status -> attempt.holdsLease()));
              answers.add(attempt.renewLease());
              answers.add(attempt.leaseLost());
              return Outcome.succeeded();
            });
    assertThat(worker.runDueNow()).isEqualTo(1);
    assertThat(answers)
        .as("renewed, held; then not held, not renewed, lost")
        .containsExactly(true, true, false, false, true);
    assertThat(database.job(job, "worker")).isEqualTo("someone-else");
    finish(job, "someone-else", JobStatus.SUCCEEDED, null, null);
  }

  private UUID enqueue(UUID connection) {
    return lifecycle
        .queue
        .enqueueSync(tenant.organizationId(), connection, clock.instant())
        .jobId()
        .orElseThrow();
  }

  private UUID claim(String worker) {
    return lifecycle.jobs.claim(worker, tenant.regionId(), 10, clock.instant()).orElseThrow().id();
  }

  /** A worker in the tenant's region whose runs end with {@code answers}, one a run. */
  @SafeVarargs
  private JobWorker worker(Function<RunningJob, Outcome>... answers) {
    return lifecycle.worker(tenant.regionId(), handler(answers));
  }

  /** Answers the attempts it runs with these, in order. */
  @SafeVarargs
  private static JobHandler handler(Function<RunningJob, Outcome>... answers) {
    Deque<Function<RunningJob, Outcome>> next = new ArrayDeque<>(List.of(answers));
    return new JobHandler() {
      @Override
      public JobKind kind() {
        return JobKind.SYNC;
      }

      @Override
      public Outcome run(RunningJob job) {
        return next.removeFirst().apply(job);
      }
    };
  }

  /** {@code worker} finishing the job now; whether the job took the move. */
  private boolean finish(
      UUID job, String worker, JobStatus status, String failureType, String reason) {
    return lifecycle.jobs.finish(job, worker, status, failureType, reason, clock.instant());
  }

  private boolean heartbeat(UUID job, String worker) {
    return lifecycle.jobs.heartbeat(job, worker, clock.instant());
  }
}
