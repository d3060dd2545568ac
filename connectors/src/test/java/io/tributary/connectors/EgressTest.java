package io.tributary.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.egress.EgressRefusedException;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.filesource.FileSource;
import io.tributary.connectors.mysql.MysqlSource;
import io.tributary.connectors.postgres.PostgresSource;
import io.tributary.connectors.s3.S3Destination;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestMariadb;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.ConnectionStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The egress policy (SPEC §17) as connectors apply it: on the address a socket is about to connect
 * to, the same refusal whether anything listens there or not, never connecting to a refused target.
 */
class EgressTest {

  /** An instance open to the network, as configured by default: loopback is refused. */
  private static final EgressPolicy PUBLIC = EgressPolicy.builder().build();

  @Test
  void linkLocalAndMetadataAddressesAreRefusedEvenWhereLoopbackIsAllowed() {
    EgressPolicy everything =
        EgressPolicy.builder().localInstance(true).allow("0.0.0.0/0,::/0").build();
    assertRefused(
        new PostgresSource(everything)
            .check(TestPostgres.newDatabase().put("host", "169.254.169.254")),
        "link-local");
    ObjectNode mysql =
        JsonNodeFactory.instance
            .objectNode()
            .put("host", "[fe80::1]")
            .put("port", 3306)
            .put("database", "x")
            .put("username", "root");
    assertRefused(new MysqlSource(everything).check(mysql), "link-local");
    for (String metadata :
        new String[] {
          "100.100.100.200", "fd00:ec2::254", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe"
        }) {
      assertThatThrownBy(
              () -> everything.check(new InetSocketAddress(InetAddress.getByName(metadata), 80)))
          .as(metadata)
          .isInstanceOf(EgressRefusedException.class)
          .hasMessageContaining("metadata");
    }
  }

  @Test
  void aHostMustBeOneHostNotAPieceOfJdbcUrl() {
    // pgjdbc and MariaDB read ports, paths, overriding parameters and host lists out of the URL's
    // host part
    for (String host :
        new String[] {
          "localhost/x?PGPORT=5432&sslfactory=evil&a=",
          "db.example.com,169.254.169.254",
          "127.0.0.1:5433",
          "address=(host=127.0.0.1)(port=5432)",
          "localhost#",
          "a b",
          ""
        }) {
      assertRefused(
          new PostgresSource(TestEgress.LOCAL).check(TestPostgres.newDatabase().put("host", host)),
          host.isEmpty() ? "host" : "'host' must be a host name");
      ObjectNode mysql =
          JsonNodeFactory.instance
              .objectNode()
              .put("host", host)
              .put("port", 3306)
              .put("database", "x")
              .put("username", "root");
      assertRefused(
          new MysqlSource(TestEgress.LOCAL).check(mysql),
          host.isEmpty() ? "host" : "'host' must be a host name");
    }
    assertThat(
            new PostgresSource(TestEgress.LOCAL)
                .check(TestPostgres.newDatabase().put("host", "[::1]"))
                .message())
        .as("an IPv6 literal")
        .doesNotContain("must be a host name");
  }

  @Test
  void loopbackIsRefusedOnAnInstanceOpenToTheNetworkAndAllowedOnALocalOne() throws Exception {
    ObjectNode postgres = TestPostgres.newDatabase();
    assertRefused(new PostgresSource(PUBLIC).check(postgres), "TRIBUTARY_EGRESS_ALLOW");
    for (String alias : new String[] {"localhost", "0.0.0.0", "127.0.0.2", "::1", "::127.0.0.1"}) {
      assertRefused(
          new PostgresSource(PUBLIC).check(postgres.deepCopy().put("host", alias)),
          "Tributary machine itself");
    }
    assertRefused(
        new MysqlSource(PUBLIC).check(TestMariadb.newDatabase()), "TRIBUTARY_EGRESS_ALLOW");
    assertThatThrownBy(
            () ->
                PUBLIC.check(
                    new InetSocketAddress(InetAddress.getByName("::ffff:127.0.0.1"), 5432)))
        .isInstanceOf(EgressRefusedException.class);

    EgressPolicy local = EgressPolicy.builder().localInstance(true).build();
    assertThat(new PostgresSource(local).check(postgres).ok()).isTrue();
    assertThat(new MysqlSource(local).check(TestMariadb.newDatabase()).ok())
        .as("MariaDB's sockets come from the policy too")
        .isTrue();
  }

  @Test
  void theAllowListOpensRangesAndHostNamesAndTheDenyListWinsOverIt() throws Exception {
    ObjectNode postgres = TestPostgres.newDatabase().put("host", "127.0.0.1");
    EgressPolicy range = EgressPolicy.builder().allow("127.0.0.1/32").build();
    assertThat(new PostgresSource(range).check(postgres).ok()).isTrue();
    assertRefused(
        new PostgresSource(range).check(postgres.deepCopy().put("host", "127.0.0.2")),
        "TRIBUTARY_EGRESS_ALLOW");

    EgressPolicy name = EgressPolicy.builder().allow("localhost").build();
    assertThat(new PostgresSource(name).check(postgres.deepCopy().put("host", "localhost")).ok())
        .isTrue();

    EgressPolicy denied = EgressPolicy.builder().allow("127.0.0.0/8").deny("127.0.0.1").build();
    assertRefused(new PostgresSource(denied).check(postgres), "TRIBUTARY_EGRESS_DENY");
    EgressPolicy privateDenied = EgressPolicy.builder().deny("10.0.0.0/8").build();
    assertThatThrownBy(
            () ->
                privateDenied.check(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 5432)))
        .hasMessageContaining("TRIBUTARY_EGRESS_DENY");
    privateDenied.check(
        new InetSocketAddress(
            InetAddress.getByName("192.168.1.10"), 5432)); // private ranges are allowed

    assertThatThrownBy(() -> EgressPolicy.builder().deny("db.example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EgressPolicy.builder().allow("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tributarysOwnListenersAreRefusedUnderEveryLocalAliasWhateverTheAllowListSays()
      throws Exception {
    ObjectNode own = TestPostgres.newDatabase();
    int port = own.get("port").asInt();
    EgressPolicy policy =
        EgressPolicy.builder().localInstance(true).allow("127.0.0.0/8,::1,localhost").build();
    assertThat(new PostgresSource(policy).check(own).ok()).isTrue();
    policy.ownListener(port); // as the server does once its embedded database is up

    String machine = InetAddress.getLocalHost().getHostAddress();
    for (String alias :
        new String[] {"localhost", "127.0.0.1", "127.1.2.3", "0.0.0.0", "::1", "::", machine}) {
      assertRefused(
          new PostgresSource(policy).check(own.deepCopy().put("host", alias)),
          "Tributary's own services");
    }
    assertThat(new PostgresSource(policy).check(own.deepCopy().put("port", freePort())).message())
        .as("another port")
        .doesNotContain("Tributary's own");
  }

  @Test
  void aRefusalReadsTheSameForOpenAndClosedPortsAndNeverConnects() throws Exception {
    try (ServerSocketChannel listening = ServerSocketChannel.open()) {
      listening.bind(new InetSocketAddress("127.0.0.1", 0));
      listening.configureBlocking(false);
      int open = ((InetSocketAddress) listening.getLocalAddress()).getPort();
      int closed = freePort();
      String toOpen =
          new PostgresSource(PUBLIC).check(TestPostgres.newDatabase().put("port", open)).message();
      String toClosed =
          new PostgresSource(PUBLIC)
              .check(TestPostgres.newDatabase().put("port", closed))
              .message();
      assertThat(toOpen.replace(Integer.toString(open), "PORT"))
          .isEqualTo(toClosed.replace(Integer.toString(closed), "PORT"))
          .contains("Tributary does not connect to");
      assertThat(listening.accept()).as("no connection was ever made to the refused port").isNull();
    }
  }

  @Test
  void aHostNameIsCheckedOnTheAddressItResolvesToWhenTheSocketConnects() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      var sockets = PUBLIC.socketFactory();
      assertThatThrownBy(() -> sockets.createSocket("localhost", server.getLocalPort()))
          .isInstanceOf(EgressRefusedException.class)
          .hasMessageContaining("localhost:" + server.getLocalPort());
      // a name that looked harmless when checked and resolves to loopback now: the connected
      // address decides
      InetAddress rebound =
          InetAddress.getByAddress("files.example.com", new byte[] {127, 0, 0, 1});
      try (Socket socket = sockets.createSocket()) {
        assertThatThrownBy(
                () -> socket.connect(new InetSocketAddress(rebound, server.getLocalPort())))
            .isInstanceOf(EgressRefusedException.class)
            .hasMessageContaining("files.example.com");
      }
      try (Socket allowed =
          TestEgress.LOCAL.socketFactory().createSocket("localhost", server.getLocalPort())) {
        assertThat(allowed.isConnected()).isTrue();
      }
    }
  }

  @Test
  void theServersOwnHttpClientChecksTheAddressItConnectsTo() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try (var refusing = PUBLIC.httpClient(java.time.Duration.ofSeconds(5), 2);
        var allowing = TestEgress.LOCAL.httpClient(java.time.Duration.ofSeconds(5), 2)) {
      // a webhook's or a token endpoint's name, checked once, may resolve to loopback by the time
      // the request connects: the client itself refuses the address, without a check before it
      String url = "http://localhost:" + server.getAddress().getPort() + "/hook";
      assertThatThrownBy(
              () ->
                  refusing
                      .executeOpen(
                          null, new org.apache.hc.client5.http.classic.methods.HttpPost(url), null)
                      .close())
          .satisfies(e -> assertThat(EgressRefusedException.in(e)).isPresent());
      assertThat(requests).as("nothing reached the refused address").hasValue(0);
      try (var response =
          allowing.executeOpen(
              null, new org.apache.hc.client5.http.classic.methods.HttpPost(url), null)) {
        assertThat(response.getCode()).isEqualTo(204);
      }
      assertThat(requests).hasValue(1);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void downloadsAreCheckedOnEveryHopAndOnTheInstancesOwnPorts() throws Exception {
    AtomicInteger served = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/people.csv",
        exchange -> {
          served.incrementAndGet();
          byte[] body = "id,name\n1,Ada\n".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.createContext(
        "/redirect",
        exchange -> {
          exchange
              .getResponseHeaders()
              .add("Location", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.start();
    int port = server.getAddress().getPort();
    Path root = Files.createTempDirectory("tributary-egress");
    try {
      FileSource local = new FileSource(new LocalRoot(root), TestEgress.LOCAL);
      assertThat(local.check(http("http://127.0.0.1:" + port + "/people.csv")).ok()).isTrue();
      assertRefused(local.check(http("http://127.0.0.1:" + port + "/redirect")), "link-local");

      FileSource open = new FileSource(new LocalRoot(root), PUBLIC);
      int before = served.get();
      for (String host : new String[] {"127.0.0.1", "0.0.0.0", "localhost", "[::1]"}) {
        assertRefused(
            open.check(http("http://" + host + ":" + port + "/people.csv")),
            "Tributary machine itself");
      }

      EgressPolicy own =
          EgressPolicy.builder().allow("127.0.0.0/8,::1,localhost").ownPort(port).build();
      FileSource toItself = new FileSource(new LocalRoot(root), own);
      for (String host : new String[] {"127.0.0.1", "0.0.0.0", "localhost"}) {
        assertRefused(
            toItself.check(http("http://" + host + ":" + port + "/people.csv")),
            "Tributary's own services");
      }
      assertThat(served.get()).as("refused downloads never reached the server").isEqualTo(before);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void s3EndpointsAreCheckedWhereTheClientConnects() throws Exception {
    int port = freePort();
    ObjectNode config =
        JsonNodeFactory.instance
            .objectNode()
            .put("s3_bucket_name", "b")
            .put("s3_bucket_path", "p")
            .put("s3_bucket_region", "us-east-1")
            .put("access_key_id", "a")
            .put("secret_access_key", "s")
            .put("s3_endpoint", "http://localhost:" + port);
    assertRefused(new S3Destination(PUBLIC).check(config), "Tributary machine itself");
    assertRefused(
        new S3Destination(PUBLIC)
            .check(config.deepCopy().put("s3_endpoint", "http://169.254.169.254")),
        "link-local");

    ObjectNode file =
        JsonNodeFactory.instance
            .objectNode()
            .put("dataset_name", "x")
            .put("format", "csv")
            .put("url", "s3://b/x.csv");
    file.putObject("provider").put("storage", "S3").put("endpoint", "http://127.0.0.1:" + port);
    assertRefused(
        new FileSource(new LocalRoot(Files.createTempDirectory("tributary-egress")), PUBLIC)
            .check(file),
        "Tributary machine itself");
  }

  private static ObjectNode http(String url) {
    ObjectNode config =
        JsonNodeFactory.instance
            .objectNode()
            .put("dataset_name", "people")
            .put("format", "csv")
            .put("url", url);
    config.putObject("provider").put("storage", "HTTPS");
    return config;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void assertRefused(ConnectionStatus status, String reason) {
    assertThat(status.ok()).as(status.message()).isFalse();
    assertThat(status.message()).contains(reason);
  }
}
