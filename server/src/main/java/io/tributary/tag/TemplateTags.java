package io.tributary.tag;

import io.tributary.auth.TagMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which tags each template carries, for both template kinds, and the any/all filter over them. */
@Repository
public class TemplateTags {

  /** The association table of each template kind. */
  public enum Kind {
    SOURCE("source_template_tags"),
    CONNECTION("connection_template_tags");

    final String table;

    Kind(String table) {
      this.table = table;
    }
  }

  private final JdbcClient jdbc;

  TemplateTags(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Tag names per template, each list sorted. */
  public Map<UUID, List<String>> namesOf(Kind kind, Collection<UUID> templateIds) {
    Map<UUID, List<String>> names = new LinkedHashMap<>();
    templateIds.forEach(id -> names.put(id, new ArrayList<>()));
    if (templateIds.isEmpty()) {
      return names;
    }
    jdbc.sql("select a.template_id, t.name from " + kind.table + " a join tags t on t.id = a.tag_id "
            + "where a.template_id = any(?) order by t.name")
        .param(templateIds.toArray(UUID[]::new))
        .query((rs, row) -> {
          names.get(rs.getObject("template_id", UUID.class)).add(rs.getString("name"));
          return null;
        })
        .list();
    return names;
  }

  public void attach(Kind kind, UUID templateId, Collection<UUID> tagIds) {
    for (UUID tagId : tagIds) {
      jdbc.sql("insert into " + kind.table + " (template_id, tag_id) values (?, ?) on conflict do nothing")
          .params(templateId, tagId)
          .update();
    }
  }

  public void replace(Kind kind, UUID templateId, Collection<UUID> tagIds) {
    jdbc.sql("delete from " + kind.table + " where template_id = ?").param(templateId).update();
    attach(kind, templateId, tagIds);
  }

  /** Removes the named tag from the template; false when the template does not carry it. */
  public boolean detach(Kind kind, UUID templateId, UUID organizationId, String tagName) {
    return jdbc.sql("delete from " + kind.table + " a using tags t "
                + "where a.tag_id = t.id and a.template_id = ? and t.organization_id = ? and t.name = ?")
            .params(templateId, organizationId, tagName)
            .update()
        == 1;
  }

  /**
   * A SQL condition on {@code <alias>.id} that keeps templates matching {@code tags} in {@code mode}; an empty
   * list keeps everything. Appends its parameters to {@code params}.
   */
  public static String filter(Kind kind, String alias, List<String> tags, TagMode mode, List<Object> params) {
    if (tags == null || tags.isEmpty()) {
      return "true";
    }
    String[] names = tags.stream().distinct().toArray(String[]::new);
    params.add(names);
    String matched = "select count(distinct t.name) from " + kind.table + " a join tags t on t.id = a.tag_id "
        + "where a.template_id = " + alias + ".id and t.name = any(?)";
    if (mode == TagMode.ALL) {
      params.add(names.length);
      return "(" + matched + ") = ?";
    }
    return "(" + matched + ") > 0";
  }

}
