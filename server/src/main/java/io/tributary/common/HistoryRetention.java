package io.tributary.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the history older than {@code tributary.history-retention} (90 days by default; 0 keeps
 * everything): finished jobs with their logs, and events with their webhook deliveries. Every node
 * runs it; a node skips the rows another is deleting, so they share the work instead of waiting.
 * Each run deletes in small batches and stops after {@link #MAX_BATCHES}, so a first run on a large
 * backlog never holds one long transaction; the rest goes on the next runs.
 */
@Component
public class HistoryRetention {

  static final int BATCH = 1_000;
  static final int MAX_BATCHES = 100;

  private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

  private final List<PrunableHistory> histories;
  private final Duration retention;
  private final Clock clock;

  HistoryRetention(
      List<PrunableHistory> histories,
      @Value("${tributary.history-retention:90d}") Duration retention,
      Clock clock) {
    if (retention.isNegative()
        || (!retention.isZero() && retention.compareTo(Duration.ofDays(1)) < 0)) {
      throw new IllegalArgumentException(
          "tributary.history-retention must be at least 1d, or 0 to keep every job and event");
    }
    this.histories = histories;
    this.retention = retention;
    this.clock = clock;
  }

  @Scheduled(
      initialDelayString = "${tributary.history-prune-delay:10m}",
      fixedDelayString = "${tributary.history-prune-interval:1h}")
  void pruneOnSchedule() {
    pruneNow();
  }

  /** Deletes what the retention allows now; returns how many rows went, per history. */
  public List<Integer> pruneNow() {
    if (retention.isZero()) {
      return histories.stream().map(history -> 0).toList();
    }
    Instant before = clock.instant().minus(retention);
    return histories.stream().map(history -> prune(history, before)).toList();
  }

  private int prune(PrunableHistory history, Instant before) {
    int deleted = 0;
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      int n = history.prune(before, BATCH);
      deleted += n;
      if (n < BATCH) {
        break;
      }
    }
    if (deleted > 0) {
      log.info("Deleted {} {} older than {}", deleted, history.what(), before);
    }
    return deleted;
  }
}
