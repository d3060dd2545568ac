package io.tributary.template;

import io.tributary.auth.TagMode;
import io.tributary.common.PageRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL every template kind shares; the kind's repository keeps the SQL of its own columns
 * (insert, update) and maps its rows.
 */
public final class TemplateStore<T extends Template> {

  private final JdbcClient jdbc;
  private final TemplateKind kind;
  private final String select;
  private final RowMapper<T> mapper;

  /** {@code columns} is the select list that {@code mapper} reads. */
  public TemplateStore(JdbcClient jdbc, TemplateKind kind, String columns, RowMapper<T> mapper) {
    this.jdbc = jdbc;
    this.kind = kind;
    this.select = "select " + columns + " from " + kind.table() + " where organization_id = ?";
    this.mapper = mapper;
  }

  TemplateKind kind() {
    return kind;
  }

  public Optional<T> findLive(UUID organizationId, UUID id) {
    return jdbc.sql(select + " and id = ? and deleted_at is null")
        .params(organizationId, id)
        .query(mapper)
        .optional();
  }

  /**
   * Keeps the live template from being deleted until the caller's transaction ends, for work that
   * makes something of it (a source, a destination): a delete waits for that work and then takes it
   * along, and a connector's removal then sees it in use. False when it was deleted first.
   */
  public boolean hold(UUID organizationId, UUID id) {
    return jdbc.sql(
            "select 1 from "
                + kind.table()
                + " where organization_id = ? and id = ? and deleted_at is null for share")
        .params(organizationId, id)
        .query(Integer.class)
        .optional()
        .isPresent();
  }

  /** A template by id, deleted or not: what was made from a deleted template keeps using it. */
  public Optional<T> findAny(UUID organizationId, UUID id) {
    return jdbc.sql(select + " and id = ?").params(organizationId, id).query(mapper).optional();
  }

  /**
   * A page of live templates carrying any or all of {@code tags} (all templates when there are
   * none).
   */
  public List<T> page(UUID organizationId, List<String> tags, TagMode mode, PageRequest page) {
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder(live(organizationId, tags, mode, params));
    page.appendTo(sql, params, PageRequest.Order.OLDEST_FIRST);
    return jdbc.sql(sql.toString()).params(params).query(mapper).list();
  }

  /**
   * Every live template carrying any or all of {@code tags} (all templates when there are none),
   * oldest first.
   */
  public List<T> findAllLive(UUID organizationId, List<String> tags, TagMode mode) {
    List<Object> params = new ArrayList<>();
    return jdbc.sql(live(organizationId, tags, mode, params) + " order by created_at, id")
        .params(params)
        .query(mapper)
        .list();
  }

  /** Tag names per template, each list sorted. */
  public Map<UUID, List<String>> tagNames(Collection<UUID> templateIds) {
    Map<UUID, List<String>> names = new LinkedHashMap<>();
    templateIds.forEach(id -> names.put(id, new ArrayList<>()));
    if (templateIds.isEmpty()) {
      return names;
    }
    jdbc.sql(
            "select a.template_id, t.name from "
                + kind.tagTable()
                + " a join tags t on t.id = a.tag_id "
                + "where a.template_id = any(?) order by t.name")
        .param(templateIds.toArray(UUID[]::new))
        .query(
            (rs, row) -> {
              names.get(rs.getObject("template_id", UUID.class)).add(rs.getString("name"));
              return null;
            })
        .list();
    return names;
  }

  /** Writes a new template: the columns every kind has, then the kind's own. */
  public void insert(T template, TemplateColumns own) {
    List<Object> params =
        new ArrayList<>(
            List.of(
                template.id(),
                template.organizationId(),
                Timestamp.from(template.createdAt()),
                Timestamp.from(template.updatedAt())));
    params.addAll(own.values());
    jdbc.sql(
            "insert into %s (id, organization_id, created_at, updated_at, %s) values (?, ?, ?, ?, %s)"
                .formatted(kind.table(), own.names(), own.placeholders()))
        .params(params)
        .update();
  }

  /** Rewrites a live template's changeable columns and its updated_at. */
  public void update(T template, TemplateColumns changeable) {
    List<Object> params = new ArrayList<>(changeable.values());
    params.add(Timestamp.from(template.updatedAt()));
    params.add(template.id());
    jdbc.sql(
            "update %s set %s, updated_at = ? where id = ? and deleted_at is null"
                .formatted(kind.table(), changeable.assignments()))
        .params(params)
        .update();
  }

  void touch(UUID id, Instant now) {
    jdbc.sql("update " + kind.table() + " set updated_at = ? where id = ?")
        .params(Timestamp.from(now), id)
        .update();
  }

  boolean softDelete(UUID organizationId, UUID id, Instant now) {
    return jdbc.sql(
                "update "
                    + kind.table()
                    + " set deleted_at = ? where id = ? and organization_id = ? and deleted_at is null")
            .params(Timestamp.from(now), id, organizationId)
            .update()
        == 1;
  }

  void attach(UUID templateId, Collection<UUID> tagIds) {
    for (UUID tagId : tagIds) {
      jdbc.sql(
              "insert into "
                  + kind.tagTable()
                  + " (template_id, tag_id) values (?, ?) on conflict do nothing")
          .params(templateId, tagId)
          .update();
    }
  }

  void replaceTags(UUID templateId, Collection<UUID> tagIds) {
    jdbc.sql("delete from " + kind.tagTable() + " where template_id = ?")
        .param(templateId)
        .update();
    attach(templateId, tagIds);
  }

  /** Removes the named tag from the template; false when the template does not carry it. */
  boolean detach(UUID organizationId, UUID templateId, String tagName) {
    return jdbc.sql(
                "delete from "
                    + kind.tagTable()
                    + " a using tags t "
                    + "where a.tag_id = t.id and a.template_id = ? and t.organization_id = ? and t.name = ?")
            .params(templateId, organizationId, tagName)
            .update()
        == 1;
  }

  /** The organization's live templates whose tags match; appends the parameters. */
  private String live(UUID organizationId, List<String> tags, TagMode mode, List<Object> params) {
    params.add(organizationId);
    return select + " and deleted_at is null and " + tagFilter(tags, mode, params);
  }

  /**
   * A condition keeping the templates that carry any or all of {@code tags}; an empty list keeps
   * them all.
   */
  private String tagFilter(List<String> tags, TagMode mode, List<Object> params) {
    if (tags == null || tags.isEmpty()) {
      return "true";
    }
    String[] names = tags.stream().distinct().toArray(String[]::new);
    params.add(names);
    String matched =
        "select count(distinct t.name) from "
            + kind.tagTable()
            + " a join tags t on t.id = a.tag_id "
            + "where a.template_id = "
            + kind.table()
            + ".id and t.name = any(?)";
    if (mode == TagMode.ALL) {
      params.add(names.length);
      return "(" + matched + ") = ?";
    }
    return "(" + matched + ") > 0";
  }
}
