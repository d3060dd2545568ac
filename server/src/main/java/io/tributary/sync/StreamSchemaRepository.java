package io.tributary.sync;

import io.tributary.protocol.Field;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each stream's shape at a connection's last successful sync ({@code connection_stream_schemas}):
 * what a new discover is compared with to find {@link SchemaChanges}.
 */
@Repository
class StreamSchemaRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  StreamSchemaRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * A stream's fields at the connection's last successful sync: names in order, and types where
   * known.
   */
  record StreamShape(List<String> fields, Map<String, String> types) {
    static StreamShape of(List<Field> fields) {
      Map<String, String> types = new LinkedHashMap<>();
      fields.forEach(f -> types.put(f.name(), SchemaChanges.typeOf(f)));
      return new StreamShape(fields.stream().map(Field::name).toList(), types);
    }
  }

  /** Each stream's shape at the connection's last successful sync, by state key. */
  Map<String, StreamShape> shapes(UUID connectionId) {
    Map<String, StreamShape> schemas = new HashMap<>();
    jdbc.sql(
            "select state_key, fields::text, types::text from connection_stream_schemas where connection_id = ?")
        .param(connectionId)
        .query(
            rs -> {
              List<String> fields = new ArrayList<>();
              json.readTree(rs.getString(2)).forEach(f -> fields.add(f.asString()));
              Map<String, String> types = new HashMap<>();
              if (rs.getString(3) != null) {
                json.readTree(rs.getString(3))
                    .properties()
                    .forEach(e -> types.put(e.getKey(), e.getValue().asString()));
              }
              schemas.put(rs.getString(1), new StreamShape(fields, types));
            });
    return schemas;
  }

  /**
   * Stores the shapes of the streams that synced, by state key, in one statement: those whose shape
   * differs from {@code known} (what {@link #shapes} read), so that a connection's steady syncs
   * write nothing here.
   */
  void saveChanged(
      UUID connectionId,
      Map<String, List<Field>> synced,
      Map<String, StreamShape> known,
      Instant now) {
    List<Object> params = new ArrayList<>();
    synced.forEach(
        (stateKey, fields) -> {
          StreamShape shape = StreamShape.of(fields);
          if (!shape.equals(known.get(stateKey))) {
            params.addAll(
                List.of(
                    connectionId,
                    stateKey,
                    json.writeValueAsString(shape.fields()),
                    json.writeValueAsString(shape.types()),
                    Timestamp.from(now)));
          }
        });
    if (params.isEmpty()) {
      return;
    }
    jdbc.sql(
            "insert into connection_stream_schemas (connection_id, state_key, fields, types, updated_at) values "
                + String.join(
                    ", ", Collections.nCopies(params.size() / 5, "(?, ?, ?::jsonb, ?::jsonb, ?)"))
                + """
             on conflict (connection_id, state_key) do update set fields = excluded.fields,
                types = excluded.types, updated_at = excluded.updated_at""")
        .params(params)
        .update();
  }
}
