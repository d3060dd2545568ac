package io.tributary.auth;

import io.tributary.common.PageRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The live rows of a table that workspaces own (sources, connections, destinations) as a {@link
 * TenantScope} reaches them: one place for the scope's condition, the soft delete and the paging,
 * so no repository can forget one of them.
 *
 * @param <T> what a row maps to
 */
public final class ScopedRows<T> {

  /** A column a page is narrowed to; a null value narrows nothing. */
  public record Equal(String column, Object value) {}

  private final JdbcClient jdbc;
  private final String select;
  private final RowMapper<T> mapper;

  /**
   * @param table a table with {@code organization_id}, {@code workspace_id}, {@code created_at},
   *     {@code id} and {@code deleted_at}
   */
  public ScopedRows(JdbcClient jdbc, String table, String columns, RowMapper<T> mapper) {
    this.jdbc = jdbc;
    this.select =
        "select "
            + columns
            + " from "
            + table
            + " where deleted_at is null and "
            + TenantScope.CONDITION;
    this.mapper = mapper;
  }

  /** The live row {@code id}, when the scope reaches it. */
  public Optional<T> find(TenantScope scope, UUID id) {
    List<Object> params = scope.params();
    params.add(id);
    return jdbc.sql(select + " and id = ?").params(params).query(mapper).optional();
  }

  /** Every live row the scope reaches, oldest first. */
  public List<T> all(TenantScope scope) {
    return jdbc.sql(select + " order by created_at, id")
        .params(scope.params())
        .query(mapper)
        .list();
  }

  /** A page of the live rows the scope reaches, oldest first, narrowed by {@code filters}. */
  public List<T> page(TenantScope scope, PageRequest page, Equal... filters) {
    List<Object> params = scope.params();
    StringBuilder sql = new StringBuilder(select);
    for (Equal filter : filters) {
      if (filter.value() != null) {
        sql.append(" and ").append(filter.column()).append(" = ?");
        params.add(filter.value());
      }
    }
    page.appendTo(sql, params, PageRequest.Order.OLDEST_FIRST);
    return jdbc.sql(sql.toString()).params(params).query(mapper).list();
  }
}
