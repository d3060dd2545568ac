package io.tributary.connection;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Streams of a connection to read again from the start ({@code connection_refreshes}): kept until
 * the stream's first commit after the request, so an attempt that dies before it starts over rather
 * than resuming from the state the refresh discarded.
 */
@Repository
public class ConnectionRefreshRepository {

  private final JdbcClient jdbc;

  ConnectionRefreshRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Marks streams, by state key, to be read from the start by the connection's next sync. */
  public void request(UUID connectionId, Collection<String> stateKeys, Instant now) {
    for (String key : stateKeys) {
      jdbc.sql(
              "insert into connection_refreshes (connection_id, state_key, requested_at) values (?, ?, ?) on conflict do nothing")
          .params(connectionId, key, Timestamp.from(now))
          .update();
    }
  }

  public Set<String> pending(UUID connectionId) {
    return Set.copyOf(
        jdbc.sql("select state_key from connection_refreshes where connection_id = ?")
            .param(connectionId)
            .query(String.class)
            .list());
  }

  /** The stream's first commit since its refresh: a later attempt resumes from here. */
  public void done(UUID connectionId, String stateKey) {
    jdbc.sql("delete from connection_refreshes where connection_id = ? and state_key = ?")
        .params(connectionId, stateKey)
        .update();
  }
}
