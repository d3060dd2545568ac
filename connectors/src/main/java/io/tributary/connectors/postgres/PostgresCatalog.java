package io.tributary.connectors.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads tables, columns and primary keys from pg_catalog: one query each, whatever the number of
 * tables.
 */
final class PostgresCatalog {

  private PostgresCatalog() {}

  static List<String> configuredSchemas(ObjectNode config) {
    List<String> schemas = new ArrayList<>();
    config.path("schemas").forEach(node -> schemas.add(node.asString()));
    return schemas;
  }

  static List<String> missingSchemas(Connection connection, List<String> schemas)
      throws SQLException {
    List<String> missing = new ArrayList<>();
    try (var statement =
        connection.prepareStatement(
            "select 1 from pg_namespace where nspname = ? and has_schema_privilege(oid, 'USAGE')")) {
      for (String schema : schemas) {
        statement.setString(1, schema);
        try (var rs = statement.executeQuery()) {
          if (!rs.next()) {
            missing.add(schema);
          }
        }
      }
    }
    return missing;
  }

  /** Readable tables, views and materialized views with their columns, by schema then name. */
  static Map<PostgresTable, List<PostgresColumn>> tables(
      Connection connection, List<String> schemas) throws SQLException {
    String sql =
        """
        select n.nspname, c.relname, a.attname, t.typname, format_type(a.atttypid, a.atttypmod) as sql_type
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        join pg_type t on t.oid = a.atttypid
        where c.relkind in ('r', 'p', 'v', 'm', 'f')
          and n.nspname not in ('pg_catalog', 'information_schema', '_tributary')
          and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
          and (cardinality(?::text[]) = 0 or n.nspname = any(?::text[]))
          and has_table_privilege(c.oid, 'SELECT')
        order by n.nspname, c.relname, a.attnum""";
    Map<PostgresTable, List<PostgresColumn>> tables = new LinkedHashMap<>();
    try (var statement = connection.prepareStatement(sql)) {
      var array = connection.createArrayOf("text", schemas.toArray());
      statement.setArray(1, array);
      statement.setArray(2, array);
      try (var rs = statement.executeQuery()) {
        while (rs.next()) {
          tables
              .computeIfAbsent(
                  new PostgresTable(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
              .add(new PostgresColumn(rs.getString(3), rs.getString(4), rs.getString(5)));
        }
      }
    }
    return tables;
  }

  /** Primary key columns per table, in key order. */
  static Map<PostgresTable, List<List<String>>> primaryKeys(
      Connection connection, Collection<PostgresTable> tables) throws SQLException {
    String sql =
        """
        select n.nspname, c.relname, a.attname, k.ord
        from pg_index i
        join pg_class c on c.oid = i.indrelid
        join pg_namespace n on n.oid = c.relnamespace
        cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where i.indisprimary and n.nspname not in ('pg_catalog', 'information_schema')
        order by n.nspname, c.relname, k.ord""";
    Map<PostgresTable, List<List<String>>> keys =
        new TreeMap<>(
            Comparator.comparing(PostgresTable::schema).thenComparing(PostgresTable::name));
    try (var statement = connection.createStatement();
        var rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        PostgresTable table = new PostgresTable(rs.getString(1), rs.getString(2));
        keys.computeIfAbsent(table, k -> new ArrayList<>()).add(List.of(rs.getString(3)));
      }
    }
    keys.keySet().retainAll(tables);
    return keys;
  }
}
