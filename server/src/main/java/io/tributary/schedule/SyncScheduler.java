package io.tributary.schedule;

import io.tributary.job.JobQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns cron schedules into queued syncs. A due connection is offered to the {@link JobQueue},
 * which queues a sync under the same rules as a manual one: none when the connection or its
 * workspace is inactive, or when a sync is already pending or running (that run is skipped, never
 * doubled). Either way the connection moves to its next time, computed from now so a long outage
 * costs one catch-up run rather than a burst. First syncs of connections made with {@code
 * sync_on_create} are queued here too.
 */
@Component
@ConditionalOnProperty(
    name = "tributary.worker.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class SyncScheduler {

  private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);
  private static final int BATCH = 200;

  private final ScheduleRepository schedules;
  private final JobQueue queue;
  private final TransactionTemplate transactions;
  private final Clock clock;

  SyncScheduler(
      ScheduleRepository schedules, JobQueue queue, TransactionTemplate transactions, Clock clock) {
    this.schedules = schedules;
    this.queue = queue;
    this.transactions = transactions;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${tributary.worker.poll:1s}")
  void tick() {
    runDueNow();
  }

  /**
   * Queues what is due by the clock's now and computes changed schedules' next times: one tick, on
   * the calling thread, for tests that move the clock instead of waiting.
   */
  public void runDueNow() {
    for (ScheduleRepository.FirstSync first : schedules.firstSyncsDue()) {
      queue.enqueueSync(first.organizationId(), first.connectionId(), clock.instant());
    }
    while (batch(() -> schedules.stale(BATCH), false) == BATCH) {
      // more changed schedules to compute
    }
    while (batch(() -> schedules.due(clock.instant(), BATCH), true) == BATCH) {
      // more connections due in this tick
    }
  }

  private int batch(Supplier<List<ScheduleRepository.Scheduled>> rows, boolean run) {
    Integer size =
        transactions.execute(
            status -> {
              Instant now = clock.instant();
              List<ScheduleRepository.Scheduled> batch = rows.get();
              for (ScheduleRepository.Scheduled connection : batch) {
                if (run) {
                  queue.enqueueSync(connection.organizationId(), connection.id(), now);
                }
                schedules.setNext(connection.id(), next(connection, now));
              }
              return batch.size();
            });
    return size == null ? 0 : size;
  }

  /**
   * The time after the one the connection was due at, or after {@code now} when that has passed
   * too. Counting from the due time, not from whenever this tick reached the connection, keeps a
   * daily 01:30 from running again at the repeated 01:30 of a night the clocks go back.
   */
  private static Instant next(ScheduleRepository.Scheduled connection, Instant now) {
    if (connection.cron() == null) {
      return null;
    }
    try {
      CronSchedule schedule = CronSchedule.parse(connection.cron(), connection.zone());
      if (connection.dueAt() != null) {
        Instant next = schedule.nextAfter(connection.dueAt()).orElse(null);
        if (next == null || next.isAfter(now)) {
          return next;
        }
      }
      return schedule.nextAfter(now).orElse(null);
    } catch (CronSchedule.InvalidScheduleException e) {
      // validated when set; a schedule that no longer parses (e.g. a removed time zone) stops
      // rather than loops
      log.warn("Connection {} has an unusable schedule: {}", connection.id(), e.getMessage());
      return null;
    }
  }
}
