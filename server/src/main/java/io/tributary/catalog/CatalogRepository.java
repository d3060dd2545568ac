package io.tributary.catalog;

import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.SyncMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
public class CatalogRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  CatalogRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  public record StoredCatalog(AirbyteCatalog catalog, Instant discoveredAt) {}

  public Optional<StoredCatalog> catalog(UUID sourceId) {
    return jdbc.sql("select catalog::text, discovered_at from source_catalogs where source_id = ?")
        .param(sourceId)
        .query(
            (rs, row) ->
                new StoredCatalog(
                    json.readValue(rs.getString(1), AirbyteCatalog.class),
                    rs.getTimestamp(2).toInstant()))
        .optional();
  }

  /** When the source's stored catalog was discovered, without reading the catalog itself. */
  public Optional<Instant> discoveredAt(UUID sourceId) {
    return jdbc.sql("select discovered_at from source_catalogs where source_id = ?")
        .param(sourceId)
        .query((rs, row) -> rs.getTimestamp(1).toInstant())
        .optional();
  }

  public void saveCatalog(UUID sourceId, AirbyteCatalog catalog, Instant now) {
    jdbc.sql(
            """
            insert into source_catalogs (source_id, catalog, discovered_at) values (?, ?::json, ?)
            on conflict (source_id) do update set catalog = excluded.catalog, discovered_at = excluded.discovered_at""")
        .params(sourceId, json.writeValueAsString(catalog), Timestamp.from(now))
        .update();
  }

  public List<StreamConfig> streams(UUID sourceId) {
    return jdbc.sql(
            "select stream_name, namespace, sync_mode, destination_sync_mode, cursor_field::text, primary_key::text "
                + "from source_streams where source_id = ? order by stream_name")
        .param(sourceId)
        .query(this::map)
        .list();
  }

  Optional<StreamConfig> stream(UUID sourceId, String name) {
    return jdbc.sql(
            "select stream_name, namespace, sync_mode, destination_sync_mode, cursor_field::text, primary_key::text "
                + "from source_streams where source_id = ? and stream_name = ?")
        .params(sourceId, name)
        .query(this::map)
        .optional();
  }

  /** Inserts or replaces; true when the stream was not selected before. */
  public boolean saveStream(UUID sourceId, StreamConfig stream, Instant now) {
    boolean existed = stream(sourceId, stream.streamName()).isPresent();
    jdbc.sql(
            """
            insert into source_streams (source_id, stream_name, namespace, sync_mode, destination_sync_mode, cursor_field, primary_key,
                created_at, updated_at)
            values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)
            on conflict (source_id, stream_name) do update set namespace = excluded.namespace, sync_mode = excluded.sync_mode,
                destination_sync_mode = excluded.destination_sync_mode, cursor_field = excluded.cursor_field,
                primary_key = excluded.primary_key, updated_at = excluded.updated_at""")
        .params(
            sourceId,
            stream.streamName(),
            stream.namespace(),
            stream.syncMode().value(),
            stream.destinationSyncMode().value(),
            json.writeValueAsString(stream.cursorField()),
            json.writeValueAsString(stream.primaryKey()),
            Timestamp.from(now),
            Timestamp.from(now))
        .update();
    return !existed;
  }

  boolean removeStream(UUID sourceId, String name) {
    return jdbc.sql("delete from source_streams where source_id = ? and stream_name = ?")
            .params(sourceId, name)
            .update()
        == 1;
  }

  private StreamConfig map(ResultSet rs, int row) throws SQLException {
    return new StreamConfig(
        rs.getString(1),
        rs.getString(2),
        SyncMode.valueOf(rs.getString(3).toUpperCase()),
        DestinationSyncMode.valueOf(rs.getString(4).toUpperCase()),
        json.readValue(rs.getString(5), new TypeReference<List<String>>() {}),
        json.readValue(rs.getString(6), new TypeReference<List<List<String>>>() {}));
  }
}
