package io.tributary.connection;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runtime's copy of each stream's committed state, per connection and state key ({@code
 * connection_states}).
 */
@Repository
public class ConnectionStateRepository {

  private static final TypeReference<List<List<String>>> KEY = new TypeReference<>() {};
  private static final TypeReference<List<String>> CURSOR = new TypeReference<>() {};

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

  /**
   * What a stream's state was committed with: the table, by its namespace (null: the default) and
   * name, the key it was deduplicated by (empty when it was not), and the cursor it was read on
   * (null when that was not recorded).
   */
  public record CommittedWith(
      String namespace, String name, List<List<String>> key, List<String> cursor) {
    public CommittedWith {
      key = key == null ? List.of() : key;
    }

    /** Whether this is another table than {@code other}'s, whatever their keys. */
    public boolean isOtherTableThan(CommittedWith other) {
      return !Objects.equals(namespace, other.namespace) || !Objects.equals(name, other.name);
    }

    @Override
    public String toString() {
      return (namespace == null ? "" : namespace + ".") + name;
    }
  }

  /** Saves the state the stream committed, with what it was committed with. */
  public void save(
      UUID connectionId, String stateKey, JsonNode state, CommittedWith with, Instant now) {
    jdbc.sql(
            """
            insert into connection_states (connection_id, state_key, state, target_namespace, target_name,
                target_key, cursor_field, updated_at)
            values (?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?)
            on conflict (connection_id, state_key) do update
               set state = excluded.state, target_namespace = excluded.target_namespace,
                   target_name = excluded.target_name, target_key = excluded.target_key,
                   cursor_field = excluded.cursor_field, updated_at = excluded.updated_at""")
        .params(
            connectionId,
            stateKey,
            json.writeValueAsString(state),
            with.namespace(),
            with.name(),
            json.writeValueAsString(with.key()),
            with.cursor() == null ? null : json.writeValueAsString(with.cursor()),
            Timestamp.from(now))
        .update();
  }

  /**
   * What each stream's state was committed with, by state key; states committed before Tributary
   * kept it are missing.
   */
  public Map<String, CommittedWith> committedWith(UUID connectionId) {
    Map<String, CommittedWith> committed = new HashMap<>();
    jdbc.sql(
            "select state_key, target_namespace, target_name, target_key::text, cursor_field::text"
                + " from connection_states where connection_id = ? and target_name is not null")
        .param(connectionId)
        .query(
            rs -> {
              String key = rs.getString(4);
              String cursor = rs.getString(5);
              committed.put(
                  rs.getString(1),
                  new CommittedWith(
                      rs.getString(2),
                      rs.getString(3),
                      key == null ? List.of() : json.readValue(key, KEY),
                      cursor == null ? null : json.readValue(cursor, CURSOR)));
            });
    return committed;
  }
}
