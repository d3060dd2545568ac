package io.tributary.tag;

import io.tributary.common.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class TagRepository {

  private static final String COLUMNS = "id, name, organization_id, created_at, updated_at";

  private final JdbcClient jdbc;

  TagRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Tag> findByName(UUID organizationId, String name) {
    return jdbc.sql("select " + COLUMNS + " from tags where organization_id = ? and name = ?")
        .params(organizationId, name)
        .query(this::map)
        .optional();
  }

  List<Tag> page(UUID organizationId, PageRequest page) {
    List<Object> params = new ArrayList<>(List.of(organizationId));
    StringBuilder sql =
        new StringBuilder("select " + COLUMNS + " from tags where organization_id = ?");
    page.appendTo(sql, params, PageRequest.Order.OLDEST_FIRST);
    return jdbc.sql(sql.toString()).params(params).query(this::map).list();
  }

  /** Inserts the tag unless the name exists; returns whether it was inserted. */
  boolean insert(Tag tag) {
    return jdbc.sql(
                """
            insert into tags (id, name, organization_id, created_at, updated_at) values (?, ?, ?, ?, ?)
            on conflict (organization_id, name) do nothing""")
            .params(
                tag.id(),
                tag.name(),
                tag.organizationId(),
                Timestamp.from(tag.createdAt()),
                Timestamp.from(tag.updatedAt()))
            .update()
        == 1;
  }

  /**
   * The ids of these tag names, creating the missing ones (again, when one is deleted between its
   * insert and its read). Each stays locked against deletion until the caller's transaction ends,
   * so the tag it attaches them with still finds them.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public List<UUID> getOrCreate(UUID organizationId, Collection<String> names, Instant now) {
    List<UUID> ids = new ArrayList<>();
    for (String name : names.stream().distinct().toList()) {
      Optional<UUID> id = Optional.empty();
      while (id.isEmpty()) {
        insert(new Tag(UUID.randomUUID(), name, organizationId, now, now));
        id =
            jdbc.sql("select id from tags where organization_id = ? and name = ? for key share")
                .params(organizationId, name)
                .query(UUID.class)
                .optional();
      }
      ids.add(id.get());
    }
    return ids;
  }

  void rename(UUID id, String name, Instant now) {
    jdbc.sql("update tags set name = ?, updated_at = ? where id = ?")
        .params(name, Timestamp.from(now), id)
        .update();
  }

  /** Deletes the tag; the template associations go with it (foreign keys cascade). */
  void delete(UUID id) {
    jdbc.sql("delete from tags where id = ?").param(id).update();
  }

  private Tag map(ResultSet rs, int row) throws SQLException {
    return new Tag(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getObject("organization_id", UUID.class),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
