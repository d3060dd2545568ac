/**
 * The job lifecycle: Tributary's own queue of background work, in PostgreSQL's {@code jobs} table.
 *
 * <p>Why not a library: db-scheduler was the first plan, but per-organization caps, region routing,
 * one active sync per connection and cooperative cancel would all have been built around it
 * (DESIGN.md, "Jobs and schedules"). So this package reads like one: everything about a job's life
 * is here, and nothing outside it writes {@code jobs.status}.
 *
 * <h2>What a job is</h2>
 *
 * A row of {@code jobs}: a {@link io.tributary.job.JobKind kind}, the organization and workspace it
 * belongs to, what it works on (a connection for a sync, a source for a discover), a {@link
 * io.tributary.job.JobStatus status}, its attempts, the worker that holds it, and how it ended
 * ({@code failure_type}, {@code failure_reason}). The API shows it as {@link io.tributary.job.Job};
 * its log lines are in {@code job_logs} ({@link io.tributary.job.JobLogRepository}), written
 * together about every second while it runs and before its status moves.
 *
 * <ul>
 *   <li>{@code sync} jobs are queued: any worker of the right region claims them, and they are
 *       retried.
 *   <li>{@code discover} jobs run at once on the node that was asked ({@link
 *       io.tributary.job.JobQueue#startDiscover}); they are held and heartbeated like syncs but
 *       never queued again.
 * </ul>
 *
 * <h2>How work gets in</h2>
 *
 * Through {@link io.tributary.job.JobQueue}, the one entrance: a manual sync and a refresh (the
 * API), a due cron schedule and a connection's first sync ({@code SyncScheduler}) all call {@link
 * io.tributary.job.JobQueue#enqueueSync}, which applies the same rules in one {@code insert ...
 * select}: the connection exists in the organization and is active, its workspace is active, and it
 * has no sync pending or running (the unique index {@code jobs_one_active_sync}). A refused sync is
 * an answer ({@link io.tributary.job.JobQueue.Refusal}), never an exception, so the scheduler can
 * enqueue inside its transaction and skip a run that finds its connection still syncing; the API
 * turns refusals into 404 and 409.
 *
 * <h2>States and moves</h2>
 *
 * <pre>
 *   PENDING ──claim──► RUNNING ──► SUCCEEDED | FAILED | CANCELLED
 *      │  ▲               │
 *      │  └──retry/sweep──┘
 *      └──cancel──► CANCELLED
 * </pre>
 *
 * {@link io.tributary.job.JobStatus#next()} lists the allowed moves; {@link
 * io.tributary.job.JobRepository} makes each as one compare-and-set update naming the status it
 * leaves, {@code update jobs set status = <to> ... where id = ? and status = <from> and worker =
 * ?}, and refuses in Java a move the lifecycle does not have. A move the row no longer allows
 * (someone else finished or took the job) changes nothing and returns false.
 *
 * <h2>Claiming</h2>
 *
 * {@link io.tributary.job.JobWorker} polls every {@code tributary.worker.poll} (1 s), when a sync
 * is queued anywhere (the wake-up) and when one of its jobs ends; while it has free slots of {@code
 * tributary.worker.concurrency}, it claims the oldest pending syncs that are due ({@code
 * not_before} passed), up to its free slots in one statement, with {@code for update skip locked}:
 * each job goes to exactly one worker, on whichever node. One thread of a node claims at a time;
 * the others leave it a note to look again. The claim also keeps a worker started for a region
 * ({@code tributary.worker.region}) to its region's workspaces, and takes no more of an
 * organization's syncs than its cap leaves room for ({@code organizations.max_concurrent_syncs},
 * else {@code tributary.worker.max-per-organization}); claims take turns under an advisory lock so
 * that cap holds across workers. Claiming counts an attempt.
 *
 * <h2>Leases, heartbeats and fencing</h2>
 *
 * A running job names its holder in {@code jobs.worker}: the node ({@link
 * io.tributary.job.JobLeases#owner()}, {@code host/pid/random}) and, for a claimed job, the attempt
 * ({@code #2}), so that a node that stalled past its lease and then claimed the job again does not
 * find its old attempt still holding it. {@link io.tributary.job.JobLeases} is the one heartbeat of
 * every kind of job: every {@code tributary.heartbeat} (10 s) the holder renews {@code
 * heartbeat_at}, fenced by its worker id. A heartbeat that finds the job no longer its own means
 * the lease is lost (the sweep gave the job to another worker while this one was cut off): the
 * worker tells the handler to stop, and any move it still tries is fenced off. A holder that cannot
 * renew for half of {@code tributary.abandoned-after} gives the lease up by itself.
 *
 * <p>Writes a handler makes elsewhere are fenced too, since a paused worker may write before its
 * next heartbeat: before each open, commit and swap at its destination a sync makes sure the lease
 * was renewed, without a failure since, within half of {@code abandoned-after}, renewing it when
 * not ({@link io.tributary.job.RunningJob#renewLease()}), so no other worker can hold the job for
 * at least the other half; and it saves each stream's state in a transaction that first checks the
 * job is still its own and keeps the job's row locked until it commits ({@link
 * io.tributary.job.RunningJob#holdsLease()}).
 *
 * <h2>Failures and retries</h2>
 *
 * A {@link io.tributary.job.JobHandler} runs one attempt and reports an {@link
 * io.tributary.job.Outcome}; the worker makes the move. A transient failure goes back to PENDING
 * with {@code not_before} set by the kind's {@link io.tributary.job.RetryPolicy} (syncs: 3
 * attempts, 10 s then 20 s) until the policy gives up; any other failure is final. An exception the
 * handler did not expect fails the job with a {@code system_error} that points to the server log
 * rather than quoting the exception.
 *
 * <h2>The abandoned-job sweep</h2>
 *
 * Every node, every {@code tributary.abandoned-job-sweep} (30 s), takes back running jobs silent
 * for {@code tributary.abandoned-after} (60 s): their node died. The same {@link
 * io.tributary.job.RetryPolicy} decides: a sync with attempts left goes back to PENDING (the next
 * attempt resumes from its last commit), anything else is FAILED with "The node running this job
 * stopped before it finished".
 *
 * <h2>Cancel</h2>
 *
 * {@link io.tributary.job.JobQueue#cancel} sets {@code cancel_requested}; a pending job is
 * CANCELLED at once, a running one when its worker, checking every second, tells the handler to
 * stop (what was committed stays). A running discover is CANCELLED the same way, and a catalog it
 * finds after the cancel is not kept. A finished job cannot be cancelled.
 *
 * <h2>Testing</h2>
 *
 * Time is the {@link java.time.Clock} bean; nothing here waits on the wall clock except the poll,
 * heartbeat and stop-check periods. Tests move a settable clock and call the "run due work now"
 * hooks instead of waiting: {@link io.tributary.job.JobWorker#runDueNow()} (claims and runs what is
 * due, on the calling thread), {@link io.tributary.job.JobLeases#sweepNow()} and {@code
 * SyncScheduler.runDueNow()}. {@code JobLifecycleTest} and {@code SyncSchedulerClockTest} wire the
 * package by hand on a migrated test database, without Spring or HTTP.
 */
package io.tributary.job;
