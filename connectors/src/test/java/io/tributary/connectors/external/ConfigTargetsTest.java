package io.tributary.connectors.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.protocol.DestinationSyncMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An external connector's configuration is checked against the egress policy before the process
 * starts. The command does not exist: a configuration that got past the check fails with "Cannot
 * start connector" instead.
 */
class ConfigTargetsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final EgressPolicy PUBLIC = EgressPolicy.builder().build();
  private static final List<String> MISSING = List.of("/nonexistent/tributary-test-connector");

  @Test
  void hostsAndUrlsAnywhereInTheConfigurationAreCheckedBeforeTheConnectorStarts() {
    ExternalSource source = new ExternalSource(MISSING, Duration.ofSeconds(5), PUBLIC);
    for (String config :
        List.of(
            "{\"host\": \"127.0.0.1\", \"port\": 5432}",
            "{\"hostname\": \"localhost:8080\"}",
            "{\"tunnel_method\": {\"tunnel_host\": \"localhost\", \"tunnel_port\": 22}}",
            "{\"base_url\": \"http://169.254.169.254/latest/meta-data\"}",
            "{\"anything\": \"jdbc:postgresql://localhost:5432/db\"}",
            "{\"mirrors\": [\"https://[::1]:8443/x\"]}",
            "{\"endpoint\": \"0.0.0.0:9000\"}",
            "{\"api_url\": \"HTTP://127.1\"}")) {
      var status = source.check(object(config));
      assertThat(status.ok()).as(config).isFalse();
      assertThat(status.message()).as(config).startsWith("Tributary does not connect to");
    }
    assertThatThrownBy(
            () -> source.discover(object("{\"url\": \"http://127.0.0.1:9464/metrics\"}")))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining("127.0.0.1:9464");
    ExternalDestination destination =
        new ExternalDestination(MISSING, Duration.ofSeconds(5), PUBLIC);
    WriteTarget target =
        new WriteTarget(
            null, "t", List.of(), DestinationSyncMode.APPEND, List.of(), List.of(), "t");
    assertThatThrownBy(() -> destination.open(object("{\"host\": \"localhost\"}"), target))
        .hasMessageStartingWith("Tributary does not connect to localhost");
  }

  @Test
  void otherValuesAndAllowedHostsPassToTheConnector() {
    ExternalSource source = new ExternalSource(MISSING, Duration.ofSeconds(5), PUBLIC);
    for (String config :
        List.of(
            "{\"host\": \"10.1.2.3\", \"port\": 5432}",
            "{\"url\": \"https://db.example.invalid/x\"}",
            "{\"note\": \"see http://localhost/ for details\", \"count\": 3}")) {
      assertThat(source.check(object(config)).message())
          .as(config)
          .contains("Cannot start connector");
    }
  }

  @Test
  void ipv4FormsTheConnectorsResolverReadsOtherwiseAndValuesThatAreNoHostAreRefused() {
    // Java resolves none of these to a refused address; the C resolver of a Python connector reads
    // 169.254.169.254, 127.0.0.1, 127.0.0.1, 127.0.0.1, and the last becomes a URL's host
    ExternalSource source =
        new ExternalSource(
            MISSING, Duration.ofSeconds(5), EgressPolicy.builder().allow("0.0.0.0/0,::/0").build());
    for (String host :
        List.of(
            "0251.0376.0251.0376",
            "0x7f.1",
            "0177.0.0.1",
            "2130706433",
            "169.254.169.254/x",
            "169.254.169.254#@db.example.invalid",
            "8.8.8.8.",
            "ｌｏｃａｌｈｏｓｔ/x")) {
      var status =
          source.check(
              JSON.createObjectNode()
                  .set("tunnel_method", JSON.createObjectNode().put("tunnel_host", host)));
      assertThat(status.ok()).as(host).isFalse();
      assertThat(status.message())
          .as(host)
          .startsWith(
              "Tributary does not connect to the host in the configuration's field"
                  + " 'tunnel_method.tunnel_host': ")
          .doesNotContain(host);
    }
    for (String config :
        List.of(
            "{\"url\": \"http://0x7f.1:8080/x\"}",
            "{\"anything\": \"mongodb://db.example.invalid,0177.0.0.1/db\"}",
            "{\"host\": 2130706433}")) {
      assertThat(source.check(object(config)).message())
          .as(config)
          .startsWith("Tributary does not connect to the host in the configuration's field");
    }
  }

  @Test
  void namesAndPlainAddressesStillReachTheConnector() {
    ExternalSource source = new ExternalSource(MISSING, Duration.ofSeconds(5), PUBLIC);
    for (String config :
        List.of(
            "{\"host\": \"8.8.8.8\", \"port\": 5432}",
            "{\"host\": \"db.example.invalid:5432\"}",
            "{\"host\": \"\"}",
            "{\"server\": \"db.example.invalid;databaseName=x\"}",
            "{\"connection_string\": \"mongodb://a.example.invalid:27017,b.example.invalid/x\"}",
            "{\"url\": \"https://[2001:db8::1]:8443/x\"}")) {
      assertThat(source.check(object(config)).message())
          .as(config)
          .contains("Cannot start connector");
    }
    ExternalSource local =
        new ExternalSource(
            MISSING, Duration.ofSeconds(5), EgressPolicy.builder().localInstance(true).build());
    assertThat(local.check(object("{\"host\": \"localhost\"}")).message())
        .contains("Cannot start connector");
  }

  private static ObjectNode object(String json) {
    return (ObjectNode) JSON.readTree(json);
  }
}
