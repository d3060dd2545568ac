package io.tributary.connection;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runtime's copy of each stream's committed state, per connection and state key ({@code
 * connection_states}).
 */
@Repository
public class ConnectionStateRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  ConnectionStateRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The stream's last committed state, or null before its first commit. */
  public JsonNode load(UUID connectionId, String stateKey) {
    return jdbc.sql(
            "select state::text from connection_states where connection_id = ? and state_key = ?")
        .params(connectionId, stateKey)
        .query(String.class)
        .optional()
        .map(json::readTree)
        .orElse(null);
  }

  public void save(UUID connectionId, String stateKey, JsonNode state, Instant now) {
    jdbc.sql(
            """
            insert into connection_states (connection_id, state_key, state, updated_at) values (?, ?, ?::jsonb, ?)
            on conflict (connection_id, state_key) do update set state = excluded.state, updated_at = excluded.updated_at""")
        .params(connectionId, stateKey, json.writeValueAsString(state), Timestamp.from(now))
        .update();
  }
}
