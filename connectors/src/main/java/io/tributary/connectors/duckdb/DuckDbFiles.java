package io.tributary.connectors.duckdb;

import io.tributary.connector.ConnectorException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.duckdb.DuckDBConnection;

/**
 * One open DuckDB database per file in this process, shared by every writer of that file through
 * duplicated connections (DuckDB lets one process write a file). The file is released when its last
 * writer closes, so other tools can open it between syncs.
 */
final class DuckDbFiles {

  private static final Map<Path, Open> OPEN = new HashMap<>();
  private static final Map<Path, Object> CATALOG_LOCKS = new ConcurrentHashMap<>();

  private DuckDbFiles() {}

  static synchronized Connection connect(Path file) {
    Path key = file.toAbsolutePath().normalize();
    if (key.toString().indexOf(';') >= 0) {
      // the driver would read ";key=value" after the path as connection options
      throw ConnectorException.config(
          "Cannot open DuckDB file " + file.getFileName() + ": its path contains ';'");
    }
    try {
      Open open = OPEN.get(key);
      if (open == null) {
        open = new Open((DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + key));
        OPEN.put(key, open);
      }
      open.users++;
      return open.root.duplicate();
    } catch (SQLException e) {
      throw ConnectorException.config(
          "Cannot open DuckDB file " + file.getFileName() + ": " + e.getMessage());
    }
  }

  /**
   * Held while a writer changes the file's catalog (schemas, tables, columns, swaps): DuckDB
   * refuses two transactions that create or alter the same catalog entry at once ("Catalog
   * write-write conflict"), and the streams of one sync open their writers in parallel.
   */
  static Object catalogLock(Path file) {
    return CATALOG_LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), key -> new Object());
  }

  static synchronized void release(Path file, Connection connection) {
    Path key = file.toAbsolutePath().normalize();
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing the database below releases it anyway
    }
    Open open = OPEN.get(key);
    if (open != null && --open.users == 0) {
      OPEN.remove(key);
      try {
        open.root.close();
      } catch (SQLException ignored) {
        // nothing more to release
      }
    }
  }

  private static final class Open {
    final DuckDBConnection root;
    int users;

    Open(DuckDBConnection root) {
      this.root = root;
    }
  }
}
