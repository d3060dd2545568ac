package io.tributary.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tributary.connectors.file.FileSource;
import io.tributary.connectors.mysql.MysqlSource;
import io.tributary.connectors.postgres.PostgresSource;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.ConnectionStatus;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** What connectors refuse to reach whatever the configuration says: metadata services and Tributary's own database. */
class EgressTest {

  @AfterEach
  void clear() {
    System.clearProperty(Egress.FORBIDDEN_ENDPOINTS);
  }

  @Test
  void linkLocalAddressesAreRefusedBeforeAnyConnection() {
    ObjectNode postgres = TestPostgres.newDatabase().put("host", "169.254.169.254");
    assertRefused(new PostgresSource().check(postgres), "link-local");
    ObjectNode mysql = JsonNodeFactory.instance.objectNode().put("host", "[fe80::1]").put("port", 3306).put("database", "x")
        .put("username", "root");
    assertRefused(new MysqlSource().check(mysql), "link-local");
  }

  @Test
  void aHostMustBeOneHostNotAPieceOfJdbcUrl() {
    // pgjdbc and MariaDB read ports, paths, overriding parameters and host lists out of the URL's host part
    for (String host : new String[] {"localhost/x?PGPORT=5432&sslfactory=evil&a=", "db.example.com,169.254.169.254",
        "127.0.0.1:5433", "address=(host=127.0.0.1)(port=5432)", "localhost#", "a b", ""}) {
      assertRefused(new PostgresSource().check(TestPostgres.newDatabase().put("host", host)), host.isEmpty() ? "host" : "'host' must be a host name");
      ObjectNode mysql = JsonNodeFactory.instance.objectNode().put("host", host).put("port", 3306).put("database", "x")
          .put("username", "root");
      assertRefused(new MysqlSource().check(mysql), host.isEmpty() ? "host" : "'host' must be a host name");
    }
    assertThat(new PostgresSource().check(TestPostgres.newDatabase().put("host", "[::1]")).message()).as("an IPv6 literal")
        .doesNotContain("must be a host name");
  }

  @Test
  void theEndpointsTheRuntimeForbidsAreRefusedByAnyLocalName() {
    ObjectNode own = TestPostgres.newDatabase();
    assertThat(new PostgresSource().check(own).ok()).isTrue();
    System.setProperty(Egress.FORBIDDEN_ENDPOINTS, "localhost:" + own.get("port").asInt());
    assertRefused(new PostgresSource().check(own), "Tributary's own database");
    assertRefused(new PostgresSource().check(own.deepCopy().put("host", "127.0.0.1")), "Tributary's own database");
    assertRefused(new PostgresSource().check(own.deepCopy().put("host", "0.0.0.0")), "Tributary's own database");
    assertThat(new PostgresSource().check(own.deepCopy().put("port", 1)).message()).as("another port of the same host")
        .doesNotContain("Tributary's own database");
  }

  @Test
  void aDownloadThatRedirectsToAMetadataServiceIsRefused() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/people.csv", exchange -> {
      exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.start();
    try {
      ObjectNode config = JsonNodeFactory.instance.objectNode().put("dataset_name", "people").put("format", "csv")
          .put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/people.csv");
      config.putObject("provider").put("storage", "HTTPS");
      assertRefused(new FileSource().check(config), "link-local");
    } finally {
      server.stop(0);
    }
  }

  private static void assertRefused(ConnectionStatus status, String reason) {
    assertThat(status.ok()).isFalse();
    assertThat(status.message()).contains(reason);
  }
}
