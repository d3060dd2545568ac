package io.tributary.connectors.mysql;

import io.tributary.connector.ConnectorException;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.jdbc.JdbcConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JDBC connections to MySQL and MariaDB (MariaDB Connector/J speaks to both) from an Airbyte-style
 * config, through sockets that ask the egress policy before they connect.
 */
final class MysqlConnections extends JdbcConnections {

  /**
   * Driver options an end user may add. Others are refused: some read local files ({@code
   * allowLocalInfile}) or load classes ({@code socketFactory}, {@code credentialType} plugins).
   */
  private static final Set<String> ALLOWED_PARAMETERS =
      Set.of(
          "connectTimeout",
          "socketTimeout",
          "tcpKeepAlive",
          "useCompression",
          "zeroDateTimeBehavior",
          "tinyInt1isBit",
          "yearIsDateType",
          "allowPublicKeyRetrieval",
          "useBulkStmts",
          "defaultFetchSize",
          "sessionVariables");

  MysqlConnections(EgressPolicy egress) {
    super(egress, "mariadb", 3306, ALLOWED_PARAMETERS);
  }

  @Override
  protected void driverSettings(Properties properties, Duration timeout) {
    properties.setProperty("connectTimeout", Long.toString(timeout.toMillis()));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("permitMysqlScheme", "true");
    properties.setProperty("allowLocalInfile", "false");
    // the binary protocol: numbers and dates arrive as bytes, not text the driver parses per value
    // (a 5M-row read into PostgreSQL took 12.6 s against 14.7 s with text, medians,
    // docs/benchmarks.md)
    properties.setProperty("useServerPrepStmts", "true");
  }

  /** Sessions run in UTC so TIMESTAMP values come back as the instants they store. */
  @Override
  protected void prepare(Connection connection) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute("set time_zone = '+00:00'");
    }
  }

  @Override
  protected void egressSockets(Properties properties, String egressKey) {
    properties.setProperty("socketFactory", MariaDbEgressSocketFactory.class.getName());
    properties.setProperty(MariaDbEgressSocketFactory.OPTION, egressKey);
  }

  @Override
  public ConnectorException translate(SQLException e, ObjectNode config) {
    return MysqlErrors.translate(e, config);
  }

  /**
   * Airbyte's modes onto the driver's: preferred does not insist on TLS; required encrypts;
   * verify_* check.
   */
  @Override
  protected void ssl(JsonNode sslMode, Properties properties) {
    String mode =
        sslMode == null || sslMode.isNull()
            ? "preferred"
            : sslMode.path("mode").asString("preferred");
    switch (mode) {
      case "required" -> properties.setProperty("sslMode", "trust");
      case "verify_ca" -> {
        properties.setProperty("sslMode", "verify-ca");
        properties.setProperty("serverSslCert", sslMode.path("ca_certificate").asString(""));
      }
      case "verify_identity" -> {
        properties.setProperty("sslMode", "verify-full");
        properties.setProperty("serverSslCert", sslMode.path("ca_certificate").asString(""));
      }
      default -> properties.setProperty("sslMode", "disable");
    }
  }
}
