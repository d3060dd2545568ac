package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.SourceDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A declarative (low-code) connector end to end (issue 13): the test serves a small HTTP API on
 * loopback (bearer auth, cursor pagination, an {@code updated_at} cursor), installs a manifest for
 * it, and syncs it through airbyte-cdk's {@code source-declarative-manifest}.
 */
// installs real packages from PyPI: minutes on a fresh machine, not the default 120 s
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DeclarativeManifestTest extends ApiTest {

  static final Path MANIFEST =
      Path.of("src/test/resources/airbyte-registry/source-items-api/manifest.yaml");
  static final String API_KEY = "items-api-key-" + UUID.randomUUID();

  @Autowired JdbcClient jdbc;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private HttpServer api;
  private final List<Map<String, Object>> items = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void serveTheApi() throws IOException {
    for (int i = 1; i <= 7; i++) {
      items.add(Map.of("id", i, "name", "item " + i, "updated_at", day(i)));
    }
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/items",
        exchange -> {
          requests.add(exchange.getRequestURI().toString());
          byte[] body;
          int status;
          if (!("Bearer " + API_KEY)
              .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
            body = "{\"error\":\"invalid api key\"}".getBytes(StandardCharsets.UTF_8);
          } else {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            int after = Integer.parseInt(query.getOrDefault("cursor", "0"));
            String since = query.getOrDefault("since", "");
            List<Map<String, Object>> page = new ArrayList<>();
            for (var item : items) {
              if ((int) item.get("id") > after
                  && ((String) item.get("updated_at")).compareTo(since) > 0
                  && page.size() < 3) {
                page.add(item);
              }
            }
            Object next = page.size() == 3 ? page.getLast().get("id") : null;
            status = 200;
            body =
                JSON.writeValueAsBytes(
                    JSON.createObjectNode()
                        .<tools.jackson.databind.node.ObjectNode>set("data", JSON.valueToTree(page))
                        .set("next_cursor", JSON.valueToTree(next)));
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    api.start();
  }

  @AfterEach
  void stopTheApi() {
    api.stop(0);
  }

  @Test
  void anInstalledManifestChecksSyncsAndResumesFromItsCursor() throws IOException {
    JsonNode install =
        fixtures.installConnector(
            Map.of("name", "Items API", "manifest", Files.readString(MANIFEST)));
    assertThat(install.get("status").asString()).as(install.toString()).isEqualTo("succeeded");
    String definitionId = install.get("definition_id").asString();

    var tenant = fixtures.tenant();
    JsonNode definition =
        http.get("/api/v1/integrations/definitions/sources/" + definitionId, tenant.operatorToken())
            .json()
            .get("definition");
    assertThat(definition.get("runtime").asString()).isEqualTo("manifest");
    assertThat(definition.get("spec").get("connectionSpecification").get("required").toString())
        .isEqualTo("[\"base_url\",\"api_key\"]");

    String templateId =
        fixtures.allStreamsTemplate(
            tenant,
            definitionId,
            Map.of("base_url", "http://127.0.0.1:" + api.getAddress().getPort()));

    String scoped = fixtures.scopedToken(tenant, "items corp");
    var refused =
        http.post(
            "/api/v1/embedded/sources",
            scoped,
            Map.of(
                "source_template_id", templateId, "source_config", Map.of("api_key", "wrong-key")));
    assertThat(refused.status()).as("a failed check, as for every connector").isEqualTo(400);
    assertThat(refused.body())
        .as("the connector's own words")
        .contains("Stream items is not available: HTTP Status Code: 401")
        .doesNotContain("wrong-key");

    SourceDatabase warehouse = SourceDatabase.create();
    fixtures.warehouseTemplate(tenant, warehouse, Map.of());
    String connection = fixtures.embeddedConnection(scoped, templateId, Map.of("api_key", API_KEY));
    JsonNode first = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
    assertThat(warehouse.count("\"items corp\".items")).isEqualTo(7);
    assertThat(requests).as("three pages").anyMatch(r -> r.contains("cursor=6"));

    items.add(Map.of("id", 8, "name", "item 8", "updated_at", day(8)));
    requests.clear();
    JsonNode second = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("succeeded");
    assertThat(second.get("streams").get("items").get("records_committed").asLong())
        .as("only what changed since the cursor")
        .isEqualTo(1);
    assertThat(requests).allMatch(r -> r.contains("since=" + day(7).replace(":", "%3A")));

    // an upgrade installed through another node: this one runs the new manifest from the next sync
    jdbc.sql(
            "update external_connectors set manifest = replace(manifest::text, '\"since\"',"
                + " '\"changed_since\"')::jsonb where definition_id = ?::uuid")
        .param(definitionId)
        .update();
    requests.clear();
    JsonNode third = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(third.get("status").asString()).as(third.toString()).isEqualTo("succeeded");
    assertThat(requests).isNotEmpty().allMatch(r -> r.contains("changed_since="));

    for (JsonNode job : List.of(first, second)) {
      String logs = http.get("/api/v1/jobs/" + job.get("id").asString() + "/logs", scoped).body();
      assertThat(logs + job).doesNotContain(API_KEY);
    }
    assertThat(http.get("/api/v1/embedded/sources?workspace_id=", scoped).body())
        .doesNotContain(API_KEY);
  }

  @Test
  void aManifestOnlyConnectorOfTheRegistryInstallsByNameAndUpgradesOnlyToAValidManifest()
      throws IOException {
    JsonNode install =
        fixtures.installConnector(
            Map.of("name", "source-items-api", "definition_id", UUID.randomUUID().toString()));
    assertThat(install.get("status").asString()).as(install.toString()).isEqualTo("succeeded");
    JsonNode listed = http.get("/api/v1/admin/connectors", Fixtures.ADMIN_KEY).json().get("data");
    assertThat(listed.toString())
        .contains(install.get("definition_id").asString())
        .contains("manifest");

    String upgrade =
        "/api/v1/admin/connectors/" + install.get("definition_id").asString() + "/upgrade";
    assertThat(http.post(upgrade, Fixtures.ADMIN_KEY, Map.of()).status())
        .as("a manifest connector moves only to a new manifest")
        .isEqualTo(422);
    assertThat(
            http.post(upgrade, Fixtures.ADMIN_KEY, Map.of("manifest", "streams: [unclosed"))
                .status())
        .isEqualTo(422);
    assertThat(http.post(upgrade, null, Map.of()).status()).isEqualTo(401);
    assertThat(
            http.post(
                    "/api/v1/admin/connectors/" + UUID.randomUUID() + "/upgrade",
                    Fixtures.ADMIN_KEY,
                    Map.of())
                .status())
        .isEqualTo(404);
    assertThat(
            http.get("/api/v1/admin/connectors/installs/" + UUID.randomUUID(), Fixtures.ADMIN_KEY)
                .status())
        .isEqualTo(404);
    JsonNode upgraded =
        fixtures.installConnectorUpgrade(
            install.get("definition_id").asString(),
            Map.of("manifest", Files.readString(MANIFEST)));
    assertThat(upgraded.get("status").asString()).as(upgraded.toString()).isEqualTo("succeeded");
  }

  @Test
  void customCodeIsRefusedUnlessTheOperatorAllowsIt() throws IOException {
    String manifest =
        Files.readString(MANIFEST)
            .replace(
                "type: DpathExtractor",
                "type: CustomRecordExtractor\n          class_name: components.Extractor");
    var refused = fixtures.requestInstall(Map.of("name", "Custom", "manifest", manifest));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("TRIBUTARY_ALLOW_CUSTOM_CONNECTOR_CODE");
    var broken =
        fixtures.requestInstall(Map.of("name", "Broken", "manifest", "streams: [unclosed"));
    assertThat(broken.status()).isEqualTo(422);
  }

  private static String day(int day) {
    return "2026-01-%02dT00:00:00Z".formatted(day);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }
}
