package io.tributary.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** A fresh PostgreSQL database playing an end user's system, with its connector configuration. */
public record SourceDatabase(String host, int port, String database, String jdbcUrl) {

  public static SourceDatabase create() {
    String url = TestDatabase.create();
    URI uri = URI.create(url.substring("jdbc:".length()));
    return new SourceDatabase(uri.getHost(), uri.getPort(), uri.getPath().substring(1), url);
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl);
  }

  public void execute(String sql) {
    try (Connection c = connect();
        var s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The one number {@code sql} answers. */
  public long number(String sql) {
    try (Connection c = connect();
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of every row {@code sql} answers. */
  public List<String> column(String sql) {
    return TestDatabase.column(jdbcUrl, sql);
  }

  /** Every column of the first row {@code sql} answers. */
  public List<String> row(String sql) {
    return TestDatabase.row(jdbcUrl, sql);
  }

  public long count(String table) {
    return number("select count(*) from " + table);
  }

  /** The end user's part of a source configuration when the template presets host, port and SSL. */
  public Map<String, Object> userConfig(String password) {
    return Map.of("database", database, "username", "postgres", "password", password);
  }

  public Map<String, Object> templateDefaults() {
    return Map.of("host", host, "port", port, "ssl_mode", Map.of("mode", "disable"));
  }
}
