package io.tributary.connectors.postgres;

import io.tributary.connector.ConnectorException;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.egress.EgressSocketFactory;
import io.tributary.connectors.jdbc.DatabaseHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Opens JDBC connections from an Airbyte-style Postgres configuration (host, port, database,
 * username, password, ssl_mode, jdbc_url_params), with timeouts so nothing hangs on an unreachable
 * host, through sockets that ask the egress policy before they connect.
 */
final class PostgresConnections {

  /**
   * Driver parameters an end user may add. Others are refused: several pgjdbc parameters load
   * classes or write files ({@code socketFactory}, {@code sslfactory}, {@code loggerFile}) and must
   * never come from a user.
   */
  private static final Set<String> ALLOWED_PARAMETERS =
      Set.of(
          "applicationName",
          "options",
          "connectTimeout",
          "socketTimeout",
          "tcpKeepAlive",
          "prepareThreshold",
          "defaultRowFetchSize",
          "currentSchema",
          "readOnly",
          "stringtype",
          "reWriteBatchedInserts",
          "assumeMinServerVersion",
          "loginTimeout",
          "targetServerType");

  private final EgressPolicy egress;

  PostgresConnections(EgressPolicy egress) {
    this.egress = egress;
  }

  Connection open(ObjectNode config, Duration connectTimeout) {
    String host = DatabaseHost.parse(Config.required(config, "host"));
    int port = Config.integer(config, "port", 5432);
    String database = Config.required(config, "database");
    String url =
        "jdbc:postgresql://"
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
    properties.setProperty("ApplicationName", "tributary");
    properties.setProperty("connectTimeout", Long.toString(connectTimeout.toSeconds()));
    properties.setProperty("loginTimeout", Long.toString(connectTimeout.toSeconds()));
    properties.setProperty("tcpKeepAlive", "true");
    ssl(config.get("ssl_mode"), properties);
    parameters(Config.string(config, "jdbc_url_params", null), properties);
    // set last: no parameter of the user's replaces them (and neither name is an allowed parameter)
    properties.setProperty("socketFactory", EgressSocketFactory.class.getName());
    properties.setProperty("socketFactoryArg", egress.key());
    try {
      return DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw PostgresErrors.translate(e, config);
    }
  }

  private static void ssl(JsonNode sslMode, Properties properties) {
    String mode =
        sslMode == null || sslMode.isNull() ? "prefer" : sslMode.path("mode").asString("prefer");
    properties.setProperty("sslmode", mode);
    if (mode.startsWith("verify")) {
      properties.setProperty(
          "sslrootcert", pemFile(sslMode.path("ca_certificate").asString(null), "ca"));
      if (sslMode.hasNonNull("client_certificate")) {
        properties.setProperty(
            "sslcert", pemFile(sslMode.get("client_certificate").asString(), "cert"));
        properties.setProperty("sslkey", pemFile(sslMode.path("client_key").asString(null), "key"));
        if (sslMode.hasNonNull("client_key_password")) {
          properties.setProperty("sslpassword", sslMode.get("client_key_password").asString());
        }
      }
    }
  }

  /**
   * pgjdbc reads certificates from files: write them, owner-readable, and remove them when the JVM
   * exits.
   */
  private static String pemFile(String pem, String kind) {
    if (pem == null || pem.isBlank()) {
      throw ConnectorException.config(
          "ssl_mode " + kind + " certificate is required for certificate verification");
    }
    try {
      Path file =
          Files.createTempFile(
              "tributary-pg-" + kind,
              ".pem",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, pem);
      file.toFile().deleteOnExit();
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
