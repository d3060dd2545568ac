package io.tributary.widget;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class WidgetThemeRepository {

  private final JdbcClient jdbc;

  WidgetThemeRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<WidgetTheme> find(UUID organizationId) {
    return jdbc.sql(
            "select name, primary_color, logo_url from widget_themes where organization_id = ?")
        .param(organizationId)
        .query((rs, row) -> new WidgetTheme(rs.getString(1), rs.getString(2), rs.getString(3)))
        .optional();
  }

  void save(UUID organizationId, WidgetTheme theme, Instant now) {
    jdbc.sql(
            """
            insert into widget_themes (organization_id, name, primary_color, logo_url, updated_at) values (?, ?, ?, ?, ?)
            on conflict (organization_id) do update set name = excluded.name, primary_color = excluded.primary_color,
                logo_url = excluded.logo_url, updated_at = excluded.updated_at""")
        .params(
            organizationId,
            theme.name(),
            theme.primaryColor(),
            theme.logoUrl(),
            Timestamp.from(now))
        .update();
  }
}
