package io.tributary.connectors.mysql;

import io.tributary.connector.ConnectorException;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.jdbc.DatabaseHost;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
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
final class MysqlConnections {

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

  private final EgressPolicy egress;

  MysqlConnections(EgressPolicy egress) {
    this.egress = egress;
  }

  Connection open(ObjectNode config, Duration timeout) {
    String host = DatabaseHost.parse(Config.required(config, "host"));
    int port = Config.integer(config, "port", 3306);
    String database = Config.required(config, "database");
    String url =
        "jdbc:mariadb://"
            + DatabaseHost.inUrl(host)
            + ":"
            + port
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8);
    Properties properties = new Properties();
    properties.setProperty("user", Config.required(config, "username"));
    String password = Config.string(config, "password", null);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", Long.toString(timeout.toMillis()));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("permitMysqlScheme", "true");
    properties.setProperty("allowLocalInfile", "false");
    ssl(config.get("ssl_mode"), properties);
    parameters(Config.string(config, "jdbc_url_params", null), properties);
    // set last: no parameter of the user's replaces them (and neither name is an allowed parameter)
    properties.setProperty("socketFactory", MariaDbEgressSocketFactory.class.getName());
    properties.setProperty(MariaDbEgressSocketFactory.OPTION, egress.key());
    try {
      return DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw MysqlErrors.translate(e, config);
    }
  }

  /**
   * Airbyte's modes onto the driver's: preferred does not insist on TLS; required encrypts;
   * verify_* check.
   */
  private static void ssl(JsonNode sslMode, Properties properties) {
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

  private static void parameters(String params, Properties properties) {
    if (params == null || params.isBlank()) {
      return;
    }
    for (String pair : params.split("&")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      if (!ALLOWED_PARAMETERS.contains(kv[0])) {
        throw ConnectorException.config(
            "jdbc_url_params: '"
                + kv[0]
                + "' is not an allowed parameter; allowed: "
                + String.join(", ", ALLOWED_PARAMETERS.stream().sorted().toList()));
      }
      properties.setProperty(kv[0], kv.length > 1 ? kv[1] : "");
    }
  }
}
