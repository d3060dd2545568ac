package io.tributary.job;

import io.tributary.common.PrunableHistory;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Finished jobs past the retention, with their logs. A connection's newest sync and its newest
 * successful one stay whatever their age: the workspace status reports them ("last synced …").
 */
@Repository
class JobHistory implements PrunableHistory {

  private final JdbcClient jdbc;

  JobHistory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public String what() {
    return "finished jobs";
  }

  @Override
  public int prune(Instant before, int limit) {
    return jdbc.sql(
            """
            with doomed as (
              select j.id from jobs j
              where j.finished_at < ? and j.status in (?, ?, ?)
                and (j.kind <> 'sync' or (
                  j.id <> (select n.id from jobs n where n.connection_id = j.connection_id and n.kind = 'sync'
                           order by n.created_at desc, n.id desc limit 1)
                  and j.id is distinct from (
                    select n.id from jobs n where n.connection_id = j.connection_id and n.kind = 'sync'
                      and n.status = ? order by n.created_at desc, n.id desc limit 1)))
              order by j.finished_at limit ? for update of j skip locked),
            logs as (delete from job_logs where job_id in (select id from doomed))
            delete from jobs where id in (select id from doomed)""")
        .params(
            Timestamp.from(before),
            JobStatus.SUCCEEDED.value(),
            JobStatus.FAILED.value(),
            JobStatus.CANCELLED.value(),
            JobStatus.SUCCEEDED.value(),
            limit)
        .update();
  }
}
