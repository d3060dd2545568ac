package io.tributary.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.settings.TributaryProperties;
import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import io.tributary.testing.SecondServer;
import io.tributary.testing.TestDatabase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The demo's token endpoint needs no credentials: it may exist only where nobody but the machine's
 * own user reaches it, and its tokens may use the demo's templates only.
 */
class DemoTest {

  private static final String CLIENT_ID = "demo-test-client";
  private static final String CLIENT_SECRET = "demo-test-secret-0123456789";

  @Test
  void aDemoTokenSeesAndUsesTheDemosTemplatesOnly() {
    try (SecondServer server = server(Map.of())) {
      Http http = new Http(server.port());
      String operator = new Fixtures(http).operatorToken(CLIENT_ID, CLIENT_SECRET);
      // the operator's own templates, for its real customers, in the organization the demo uses
      String privateTemplate =
          http.post(
                  "/api/v1/integrations/templates/sources",
                  operator,
                  Map.of(
                      "name",
                      "Private CRM",
                      "actor_definition_id",
                      DemoSetup.FAKER.toString(),
                      "partial_default_config",
                      Map.of()))
              .json()
              .get("id")
              .asString();
      String privateDestination =
          http.post(
                  "/api/v1/integrations/templates/connections",
                  operator,
                  Map.of(
                      "destination_name",
                      "Operator warehouse",
                      "destination_actor_definition_id",
                      DemoSetup.LOCAL_JSON.toString(),
                      "destination_config",
                      Map.of("destination_path", "/local/private"),
                      "sync_on_create",
                      false))
              .json()
              .get("id")
              .asString();

      String jwt = demoToken(http, server);

      var visible = http.get("/api/v1/embedded/source-templates", jwt).json().get("data");
      assertThat(visible.valueStream().map(t -> t.get("name").asString()).toList())
          .containsExactlyInAnyOrder("Demo data", "PostgreSQL");
      String demoTemplate = Fixtures.idNamed(visible, "Demo data");

      // the attack: the operator's template by id, to create a source or to check a configuration
      var created = http.post("/api/v1/embedded/sources", jwt, fiveRecordsFrom(privateTemplate));
      assertThat(created.status()).as(created.toString()).isEqualTo(404);
      var checked =
          http.post("/api/v1/embedded/sources/check", jwt, fiveRecordsFrom(privateTemplate));
      assertThat(checked.status()).as(checked.toString()).isEqualTo(404);
      // nor may it send its data to the operator's destinations by asking for every connection
      // template
      var widened =
          http.post(
              "/api/v1/embedded/sources",
              jwt,
              Map.of(
                  "source_template_id",
                  demoTemplate,
                  "source_config",
                  Map.of("count", 5),
                  "selected_connection_template_tags",
                  List.of()));
      assertThat(widened.status()).as(widened.toString()).isEqualTo(403);
      assertThat(http.get("/api/v1/embedded/sources", jwt).dataSize())
          .as("nothing was created")
          .isZero();

      // the demo's own template works, and its source goes to the demo's destination only
      var source = http.post("/api/v1/embedded/sources", jwt, fiveRecordsFrom(demoTemplate));
      assertThat(source.status()).as(source.toString()).isEqualTo(200);
      var connections = source.json().get("connection_ids");
      assertThat(connections.size()).isEqualTo(1);
      var connection =
          http.get("/api/v1/connections/" + connections.get(0).asString(), operator).json();
      assertThat(connection.get("connection_template_id").asString())
          .isNotEqualTo(privateDestination);
    }
  }

  @Test
  void onAnAddressOtherMachinesReachThereIsNoDemoEvenWhenAskedFor() throws Exception {
    try (SecondServer server = server(Map.of("tributary.bind", "0.0.0.0"))) {
      Http http = new Http(server.port());
      var token = requestDemoToken(http, server);
      assertThat(token.status()).as(token.toString()).isEqualTo(404);
      assertThat(token.header("Content-Type")).startsWith("application/json");
      assertThat(token.json().get("detail").asString()).isEqualTo("Not Found");
      assertThat(http.get("/demo", null).status()).isEqualTo(404);
      // it does listen on every interface: the machine's other addresses reach it (the check below
      // is meaningful)
      for (InetAddress address : otherAddresses()) {
        connect(address, server.port()).close();
      }
    }
  }

  @Test
  void byDefaultTheServerListensOnLoopbackAloneAndServesTheDemo() throws Exception {
    try (SecondServer server = server(Map.of())) {
      connect(InetAddress.getByName("127.0.0.1"), server.port()).close();
      for (InetAddress address : otherAddresses()) {
        assertThatThrownBy(() -> connect(address, server.port()).close())
            .as(address.toString())
            .isInstanceOf(ConnectException.class);
      }
      assertThat(server.bean(TributaryProperties.class).bind()).isEqualTo("127.0.0.1");
      assertThat(demoToken(new Http(server.port()), server)).isNotBlank();

      // the page's view of the operator's side: only from the page itself
      Http http = new Http(server.port());
      Map<String, Object> visitor = Map.of("visitor", UUID.randomUUID());
      assertThat(http.post("/demo/activity", null, visitor).status()).isEqualTo(403);
      String origin = server.bean(TributaryProperties.class).publicBaseUrl().toString();
      var activity = http.send("POST", "/demo/activity", null, visitor, Map.of("Origin", origin));
      assertThat(activity.status()).as(activity.toString()).isEqualTo(200);
      assertThat(activity.body()).as("a visitor without a workspace yet").isEqualTo("{}");
    }
  }

  @Test
  void theDemoExistsOnlyOnLoopbackAndBehindALocalPublicUrl() {
    assertThat(properties(Map.of()).demoEnabled()).isTrue();
    assertThat(properties(Map.of("tributary.bind", "localhost")).demoEnabled()).isTrue();
    assertThat(properties(Map.of("tributary.bind", "::1")).demoEnabled()).isTrue();
    assertThat(properties(Map.of("tributary.bind", "127.0.0.2")).demoEnabled()).isTrue();
    for (String open : List.of("0.0.0.0", "::", "192.0.2.2", "10.1.2.3", "")) {
      assertThat(properties(Map.of("tributary.bind", open)).loopbackOnly()).as(open).isFalse();
      assertThat(properties(Map.of("tributary.bind", open, "tributary.demo", "true")).demoEnabled())
          .as(open)
          .isFalse();
    }
    // a reverse proxy publishing the local port: others reach it through the public URL
    assertThat(
            properties(Map.of("tributary.public-url", "https://tributary.example.com"))
                .demoEnabled())
        .isFalse();
    assertThat(properties(Map.of("tributary.public-url", "http://127.0.0.1:8080/")).demoEnabled())
        .isTrue();
    assertThat(properties(Map.of("tributary.public-url", "http://[::1]:8080")).demoEnabled())
        .isTrue();
    assertThat(properties(Map.of("tributary.demo", "false")).demoEnabled()).isFalse();
    assertThat(properties(Map.of("tributary.database-url", "jdbc:postgresql://db/x")).demoEnabled())
        .isFalse();
  }

  /** A server on a database of its own, whose first organization has known credentials. */
  private static SecondServer server(Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(ApiTest.properties(TestDatabase.create()));
    properties.put("tributary.bootstrap", "true");
    properties.put("tributary.bootstrap-client-id", CLIENT_ID);
    properties.put("tributary.bootstrap-client-secret", CLIENT_SECRET);
    properties.put("tributary.demo", "true");
    properties.putAll(extra);
    return new SecondServer(properties);
  }

  /**
   * What the demo page does: asks for a token from the server's own origin, and unwraps the widget
   * token.
   */
  private static String demoToken(Http http, SecondServer server) {
    var response = requestDemoToken(http, server);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    String decoded =
        new String(Base64.getDecoder().decode(response.body().trim()), StandardCharsets.UTF_8);
    return Http.JSON.readTree(decoded).get("token").asString();
  }

  /** The demo page's token request, sent from the server's own origin by a new visitor. */
  private static Http.Response requestDemoToken(Http http, SecondServer server) {
    String origin = server.bean(TributaryProperties.class).publicBaseUrl().toString();
    return http.send(
        "POST",
        "/demo/widget-token",
        null,
        Map.of("visitor", UUID.randomUUID()),
        Map.of("Origin", origin));
  }

  /** An end user's request for a source of five records made from {@code template}. */
  private static Map<String, Object> fiveRecordsFrom(String template) {
    return Map.of("source_template_id", template, "source_config", Map.of("count", 5));
  }

  private static TributaryProperties properties(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("tributary", TributaryProperties.class);
  }

  /**
   * This machine's IPv4 addresses other than loopback and link-local (none on a machine without a
   * network).
   */
  private static List<InetAddress> otherAddresses() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .toList();
  }

  private static Socket connect(InetAddress address, int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(address, port), 2000);
    return socket;
  }
}
