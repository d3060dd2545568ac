package io.tributary.connectors.jdbc;

import io.tributary.protocol.Field;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Identifier quoting, which every name that reaches SQL goes through whatever it contains, and the
 * table definitions the SQL destinations share.
 */
public final class Sql {

  private Sql() {}

  /** A PostgreSQL/ANSI quoted identifier; embedded double quotes are doubled. */
  public static String quote(String identifier) {
    if (identifier.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("identifier contains a NUL character");
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  public static String qualified(String namespace, String name) {
    return namespace == null ? quote(name) : quote(namespace) + "." + quote(name);
  }

  public static String columns(List<String> names) {
    return names.stream().map(Sql::quote).collect(Collectors.joining(", "));
  }

  /** {@code "name" type, …} for a table definition, each field typed by the destination's rule. */
  public static String definitions(List<Field> fields, Function<Field, String> sqlType) {
    return fields.stream()
        .map(f -> quote(f.name()) + " " + sqlType.apply(f))
        .collect(Collectors.joining(", "));
  }

  /**
   * Creates {@code table} with {@code fields}, or adds to an existing one the fields it lacks: a
   * column the source gained arrives as a new column, and none is ever dropped.
   */
  public static void createOrWiden(
      Statement ddl, String table, List<Field> fields, Function<Field, String> sqlType)
      throws SQLException {
    ddl.execute("create table if not exists " + table + " (" + definitions(fields, sqlType) + ")");
    for (Field field : fields) {
      ddl.execute(
          "alter table "
              + table
              + " add column if not exists "
              + quote(field.name())
              + " "
              + sqlType.apply(field));
    }
  }
}
