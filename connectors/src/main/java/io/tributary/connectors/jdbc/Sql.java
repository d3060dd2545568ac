package io.tributary.connectors.jdbc;

import java.util.List;
import java.util.stream.Collectors;

/** Identifier quoting: every name that reaches SQL goes through here, whatever it contains. */
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
}
