package io.tributary.connectors.postgres;

import io.tributary.connector.ConnectorException;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.egress.EgressSocketFactory;
import io.tributary.connectors.jdbc.JdbcConnections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
final class PostgresConnections extends JdbcConnections {

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

  PostgresConnections(EgressPolicy egress) {
    super(egress, "postgresql", 5432, ALLOWED_PARAMETERS);
  }

  @Override
  protected void driverSettings(Properties properties, Duration connectTimeout) {
    properties.setProperty("ApplicationName", "tributary");
    properties.setProperty("connectTimeout", Long.toString(connectTimeout.toSeconds()));
    properties.setProperty("loginTimeout", Long.toString(connectTimeout.toSeconds()));
    properties.setProperty("tcpKeepAlive", "true");
  }

  @Override
  protected void egressSockets(Properties properties, String egressKey) {
    properties.setProperty("socketFactory", EgressSocketFactory.class.getName());
    properties.setProperty("socketFactoryArg", egressKey);
  }

  @Override
  public ConnectorException translate(SQLException e, ObjectNode config) {
    return PostgresErrors.translate(e, config);
  }

  @Override
  protected void ssl(JsonNode sslMode, Properties properties) {
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
}
