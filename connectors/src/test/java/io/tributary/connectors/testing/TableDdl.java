package io.tributary.connectors.testing;

import java.util.Map;

/** DDL for the tables the type-fidelity tests fill, one column per type under test. */
public final class TableDdl {

  private TableDdl() {}

  /**
   * {@code create table <table> (id int primary key, <column> <type>, ...)}, each column's type the
   * first of its strings.
   */
  public static String createTable(String table, Map<String, String[]> columns) {
    StringBuilder ddl = new StringBuilder("create table " + table + " (id int primary key");
    columns.forEach((name, spec) -> ddl.append(", ").append(name).append(' ').append(spec[0]));
    return ddl.append(")").toString();
  }
}
