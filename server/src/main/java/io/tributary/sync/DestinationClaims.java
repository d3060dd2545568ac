package io.tributary.sync;

import io.tributary.connector.WriteTarget;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/**
 * Who writes where in an organization's destinations, so no sync writes one customer's data where
 * another's is: each namespace belongs to the one workspace that first wrote it, each table of a
 * destination (a workspace's, one per connection template) to the one connection that first wrote
 * it, and one sync never sends two streams into one table. Names are compared by {@link #key},
 * which folds what destinations fold: names that differ only in case or punctuation, or after
 * PostgreSQL's 63 bytes, are one name to a destination, and so one here.
 */
@Repository
class DestinationClaims {

  /** PostgreSQL keeps the first 63 bytes of an identifier. */
  private static final int IDENTIFIER_BYTES = 63;

  private final JdbcClient jdbc;

  DestinationClaims(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Why a sync may not write where its plan says; nothing has been written. */
  sealed interface Conflict {
    String message();
  }

  /** The namespace is another workspace's (which one stays unsaid: an end user reads this). */
  record OtherWorkspace(String namespace) implements Conflict {
    @Override
    public String message() {
      return (namespace.isEmpty()
              ? "The destination's default namespace"
              : "The destination namespace '" + namespace + "'")
          + " already holds another workspace's data (namespaces that differ only in case,"
          + " punctuation or after 63 bytes are one to a destination); nothing was written."
          + " Give each workspace its own namespace, e.g. with ${WORKSPACE_ID} in the connection"
          + " template's namespace_format";
    }
  }

  /** The table is written by another connection of the workspace. */
  record OtherConnection(String table, UUID connectionId) implements Conflict {
    @Override
    public String message() {
      return "The destination table '"
          + table
          + "' is written by another connection of this workspace ("
          + connectionId
          + "), from a stream of the same name; nothing was written. A table holds one"
          + " connection's stream: select the stream in only one of the two sources, or remove one";
    }
  }

  /** Two streams of this sync would write one table. */
  record SameTable(String table, String stream, String other) implements Conflict {
    @Override
    public String message() {
      return "Streams '"
          + other
          + "' and '"
          + stream
          + "' would both write the destination table '"
          + table
          + "' (names that differ only in case or punctuation are one to a destination); nothing"
          + " was written. Select one of them, or add ${SOURCE_NAMESPACE} to the connection"
          + " template's namespace_format";
    }
  }

  /**
   * A name as destinations may see it: ASCII letters in lower case, digits kept, every other byte
   * of its UTF-8 form an underscore (Airbyte's destinations replace them so), cut at 63 bytes. A
   * sync without a namespace writes the destination's default one, the empty key.
   */
  static String key(String name) {
    if (name == null) {
      return "";
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    StringBuilder key = new StringBuilder(Math.min(bytes.length, IDENTIFIER_BYTES));
    for (int i = 0; i < bytes.length && i < IDENTIFIER_BYTES; i++) {
      char c = (char) (bytes[i] & 0xff);
      key.append(
          c >= 'A' && c <= 'Z'
              ? Character.toLowerCase(c)
              : (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
    }
    return key.toString();
  }

  /**
   * The namespaces a stream writes, as claims take them. One without a namespace writes the
   * destination's default: its {@code schema} setting, else PostgreSQL's {@code public} or DuckDB's
   * {@code main}; those are claimed with the empty one, since another may name them.
   */
  static List<String> namespaces(String namespace, JsonNode destinationConfig) {
    if (namespace != null) {
      return List.of(key(namespace));
    }
    JsonNode schema = destinationConfig.path("schema");
    return schema.isString() && !schema.asString().isBlank()
        ? List.of("", key(schema.asString()))
        : List.of("", "public", "main");
  }

  /** A table a sync writes: its folded namespace and name, and the stream that writes it. */
  record Table(String namespace, String name, String stream) {}

  /** The tables of the streams, each under every namespace it may land in. */
  static List<Table> tables(Map<String, WriteTarget> streams, JsonNode destinationConfig) {
    List<Table> tables = new ArrayList<>();
    streams.forEach(
        (stream, target) -> {
          for (String namespace : namespaces(target.namespace(), destinationConfig)) {
            tables.add(new Table(namespace, key(target.name()), stream));
          }
        });
    return tables;
  }

  /**
   * Claims the sync's namespaces for its workspace and its tables for its connection, or says the
   * first conflict. What the workspace and connection already hold costs one read each.
   *
   * @param streams each stream's target, by the stream's name
   */
  Optional<Conflict> claim(
      UUID organizationId,
      UUID workspaceId,
      UUID destinationId,
      UUID connectionId,
      Map<String, WriteTarget> streams,
      JsonNode destinationConfig,
      Instant now) {
    List<Table> tables = tables(streams, destinationConfig);
    Map<List<String>, String> writers = new LinkedHashMap<>();
    for (Table table : tables) {
      String other = writers.putIfAbsent(List.of(table.namespace(), table.name()), table.stream());
      if (other != null && !other.equals(table.stream())) {
        return Optional.of(new SameTable(table.name(), table.stream(), other));
      }
    }
    Set<String> namespaces = new HashSet<>(heldNamespaces(organizationId, workspaceId));
    for (Table table : tables) {
      if (namespaces.add(table.namespace())
          && !takeNamespace(organizationId, workspaceId, table.namespace(), now)) {
        return Optional.of(new OtherWorkspace(table.namespace()));
      }
    }
    Set<List<String>> held = new HashSet<>(heldTables(destinationId, connectionId));
    for (Table table : tables) {
      if (held.add(List.of(table.namespace(), table.name()))
          && !takeTable(destinationId, connectionId, table, now)) {
        return Optional.of(
            new OtherConnection(table.name(), holder(destinationId, table).orElse(null)));
      }
    }
    return Optional.empty();
  }

  private List<String> heldNamespaces(UUID organizationId, UUID workspaceId) {
    return jdbc.sql(
            "select namespace_key from namespace_claims where organization_id = ? and workspace_id = ?")
        .params(organizationId, workspaceId)
        .query(String.class)
        .list();
  }

  /**
   * Takes a free namespace, or one whose workspace was deleted. A concurrent claim of the same
   * namespace waits for this one's commit, then finds it held.
   */
  private boolean takeNamespace(UUID organizationId, UUID workspaceId, String key, Instant now) {
    return jdbc.sql(
                """
                insert into namespace_claims (organization_id, namespace_key, workspace_id, claimed_at)
                values (?, ?, ?, ?)
                on conflict (organization_id, namespace_key) do update
                   set workspace_id = excluded.workspace_id, claimed_at = excluded.claimed_at
                 where namespace_claims.workspace_id = excluded.workspace_id
                    or exists (select 1 from workspaces w
                                where w.id = namespace_claims.workspace_id and w.deleted_at is not null)""")
            .params(organizationId, key, workspaceId, Timestamp.from(now))
            .update()
        == 1;
  }

  private List<List<String>> heldTables(UUID destinationId, UUID connectionId) {
    return jdbc.sql(
            "select namespace_key, table_key from table_claims where destination_id = ? and connection_id = ?")
        .params(destinationId, connectionId)
        .query((rs, row) -> List.of(rs.getString(1), rs.getString(2)))
        .list();
  }

  /** Takes a free table, or one whose connection was deleted, as namespaces are taken. */
  private boolean takeTable(UUID destinationId, UUID connectionId, Table table, Instant now) {
    return jdbc.sql(
                """
                insert into table_claims (destination_id, namespace_key, table_key, connection_id, claimed_at)
                values (?, ?, ?, ?, ?)
                on conflict (destination_id, namespace_key, table_key) do update
                   set connection_id = excluded.connection_id, claimed_at = excluded.claimed_at
                 where table_claims.connection_id = excluded.connection_id
                    or exists (select 1 from connections c
                                where c.id = table_claims.connection_id and c.deleted_at is not null)""")
            .params(
                destinationId, table.namespace(), table.name(), connectionId, Timestamp.from(now))
            .update()
        == 1;
  }

  private Optional<UUID> holder(UUID destinationId, Table table) {
    return jdbc.sql(
            "select connection_id from table_claims where destination_id = ? and namespace_key = ? and table_key = ?")
        .params(destinationId, table.namespace(), table.name())
        .query(UUID.class)
        .optional();
  }
}
