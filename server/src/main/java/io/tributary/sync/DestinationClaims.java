package io.tributary.sync;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each destination namespace of an organization belongs to the one workspace that first wrote it,
 * so no sync writes one customer's data where another's is. Namespaces are compared by {@link
 * #key}, which folds what destinations fold: names that differ only in case or punctuation, or
 * after PostgreSQL's 63 bytes, are one namespace to a destination, and so one here.
 */
@Repository
class NamespaceClaims {

  /** PostgreSQL keeps the first 63 bytes of an identifier. */
  private static final int IDENTIFIER_BYTES = 63;

  private final JdbcClient jdbc;

  NamespaceClaims(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The namespace as destinations may see it: ASCII letters in lower case, digits kept, every other
   * byte of its UTF-8 form an underscore (Airbyte's destinations replace them so), cut at 63 bytes.
   * A sync without a namespace writes the destination's default one, the empty key.
   */
  static String key(String namespace) {
    if (namespace == null) {
      return "";
    }
    byte[] bytes = namespace.getBytes(StandardCharsets.UTF_8);
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
   * Claims the namespaces for the workspace, or names the first one another live workspace of the
   * organization holds (claiming nothing more). A namespace the workspace already holds costs one
   * read.
   */
  Optional<String> claim(
      UUID organizationId, UUID workspaceId, Collection<String> namespaces, Instant now) {
    for (String key : namespaces.stream().map(NamespaceClaims::key).distinct().toList()) {
      if (!holds(organizationId, workspaceId, key)
          && !take(organizationId, workspaceId, key, now)) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  private boolean holds(UUID organizationId, UUID workspaceId, String key) {
    return jdbc.sql(
            """
            select exists (select 1 from namespace_claims
             where organization_id = ? and namespace_key = ? and workspace_id = ?)""")
        .params(organizationId, key, workspaceId)
        .query(Boolean.class)
        .single();
  }

  /**
   * Takes a free namespace, or one whose workspace was deleted. A concurrent claim of the same
   * namespace waits for this one's commit, then finds it held.
   */
  private boolean take(UUID organizationId, UUID workspaceId, String key, Instant now) {
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
}
