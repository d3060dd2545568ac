package io.tributary.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Wakes this node's worker the moment a sync is queued anywhere: {@code LISTEN} on the channel
 * every enqueue notifies in its transaction. A manual sync then starts within milliseconds instead
 * of at the next poll; the poll stays, as the safety net for a missed notification or a lost
 * connection.
 */
@Component
@ConditionalOnProperty(
    name = "tributary.worker.enabled",
    havingValue = "true",
    matchIfMissing = true)
class JobWakeUp implements DisposableBean {

  static final String CHANNEL = "tributary_jobs";
  private static final Logger log = LoggerFactory.getLogger(JobWakeUp.class);
  private static final int WAIT_MILLIS = 5_000;

  private final DataSource dataSource;
  private final JobWorker worker;
  private volatile boolean stopping;
  private Thread listener;

  JobWakeUp(DataSource dataSource, JobWorker worker) {
    this.dataSource = dataSource;
    this.worker = worker;
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    listener = Thread.ofPlatform().daemon().name("job-wake-up").start(this::listen);
  }

  private void listen() {
    while (!stopping) {
      try (Connection connection = dataSource.getConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("listen " + CHANNEL);
        }
        PGConnection notifications = connection.unwrap(PGConnection.class);
        while (!stopping) {
          PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
          if (received != null && received.length > 0) {
            worker.poll();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!stopping) {
          // the poll keeps jobs moving meanwhile
          log.debug("Job wake-up listener lost its connection; listening again", e);
          sleepBriefly();
        }
      }
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void destroy() {
    stopping = true;
    if (listener != null) {
      listener.interrupt();
    }
  }
}
