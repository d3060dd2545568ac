package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.WriteTarget;
import io.tributary.testing.ApiTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Workspaces whose names a destination folds into one namespace ({@code acme:prod} and {@code
 * acme_prod} are one directory, one Airbyte schema) never write into each other's: the second one's
 * sync fails and writes nothing, until the first workspace is deleted.
 */
class DestinationClaimsTest extends ApiTest {

  @Test
  void twoWorkspacesWhoseNamesFoldTogetherNeverShareANamespace() throws Exception {
    var tenant = fixtures.tenant();
    String lake = "/local/claims-" + UUID.randomUUID();
    fixtures.lakeTemplate(tenant, "Lake", lake, Map.of());
    String faker = fixtures.fakerTemplate(tenant, 1);
    String first = connection(tenant, "acme:prod", faker, 3);
    JsonNode written = fixtures.sync(tenant.operatorToken(), first);
    assertThat(written.get("status").asString()).as(written.toString()).isEqualTo("succeeded");
    Path users =
        Path.of("target", "test-data", "local", tenant.organizationId().toString())
            .resolve(lake.substring("/local/".length()))
            .resolve("acme_prod")
            .resolve("users");
    String manifest = Files.readString(users.resolve("_tributary_manifest.json"));

    for (String name : List.of("acme_prod", "ACME.PROD")) {
      String second = connection(tenant, name, faker, 5);
      JsonNode refused = fixtures.sync(tenant.operatorToken(), second);
      assertThat(refused.get("status").asString()).as(refused.toString()).isEqualTo("failed");
      assertThat(refused.get("failure_type").asString()).isEqualTo("config_error");
      assertThat(refused.get("failure_reason").asString())
          .contains("'acme_prod' already holds another workspace's data")
          .contains("${WORKSPACE_ID}")
          .doesNotContain("acme:prod");
      assertThat(Files.readString(users.resolve("_tributary_manifest.json")))
          .as("the first workspace's files are untouched")
          .isEqualTo(manifest);
    }

    JsonNode again = fixtures.sync(tenant.operatorToken(), first);
    assertThat(again.get("status").asString()).as("the holder syncs on").isEqualTo("succeeded");

    UUID holder = fixtures.workspaceId(fixtures.scopedToken(tenant, "acme:prod"));
    var deleted = http.delete("/api/v1/workspaces/" + holder, tenant.operatorToken());
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    String successor = connection(tenant, "acme_prod", faker, 7);
    JsonNode taken = fixtures.sync(tenant.operatorToken(), successor);
    assertThat(taken.get("status").asString())
        .as("a deleted workspace's namespace is free: " + taken)
        .isEqualTo("succeeded");
  }

  @Test
  void keysFoldCasePunctuationAndWhatPostgresCutsOff() {
    assertThat(DestinationClaims.key("Acme:Prod")).isEqualTo(DestinationClaims.key("acme_prod"));
    assertThat(DestinationClaims.key("acme-prod")).isEqualTo("acme_prod");
    assertThat(DestinationClaims.key("acme")).isNotEqualTo(DestinationClaims.key("acme2"));
    assertThat(DestinationClaims.key(null)).isEmpty();
    // PostgreSQL keeps 63 bytes: 32 two-byte letters end at the same byte whatever follows
    String wide = "é".repeat(32);
    assertThat(DestinationClaims.key(wide + "x")).isEqualTo(DestinationClaims.key(wide + "y"));
    assertThat(DestinationClaims.key(wide)).hasSize(63);
  }

  @Test
  void aStreamWithoutNamespaceClaimsTheDestinationsDefaultToo() {
    var json = tools.jackson.databind.node.JsonNodeFactory.instance;
    assertThat(DestinationClaims.namespaces(null, json.objectNode().put("schema", "Raw")))
        .containsExactly("", "raw");
    assertThat(DestinationClaims.namespaces(null, json.objectNode()))
        .containsExactly("", "public", "main");
    assertThat(DestinationClaims.namespaces("Acme", json.objectNode())).containsExactly("acme");
  }

  @Test
  void twoStreamsOfOneSyncNeverWriteOneTable() {
    var json = tools.jackson.databind.node.JsonNodeFactory.instance;
    Map<String, WriteTarget> streams = new LinkedHashMap<>();
    streams.put("public.users", target("acme", "users"));
    streams.put("crm.Users", target("acme", "Users"));
    var conflict =
        new DestinationClaims(null)
            .claim(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                streams,
                json.objectNode(),
                java.time.Instant.now());
    assertThat(conflict).isPresent();
    assertThat(conflict.get().message())
        .contains("Streams 'public.users' and 'crm.Users' would both write the destination table");
  }

  @Test
  void twoConnectionsOfAWorkspaceNeverWriteOneTable() throws Exception {
    var tenant = fixtures.tenant();
    String lake = "/local/tables-" + UUID.randomUUID();
    fixtures.lakeTemplate(tenant, "Lake", lake, Map.of());
    String scoped = fixtures.scopedToken(tenant, "two-sources");
    var first =
        fixtures.embeddedSource(scoped, fixtures.fakerTemplate(tenant, 1), Map.of("count", 3));
    String firstConnection = first.json().get("connection_ids").get(0).asString();
    JsonNode written = fixtures.sync(tenant.operatorToken(), firstConnection);
    assertThat(written.get("status").asString()).as(written.toString()).isEqualTo("succeeded");
    Path users =
        Path.of("target", "test-data", "local", tenant.organizationId().toString())
            .resolve(lake.substring("/local/".length()))
            .resolve("two-sources")
            .resolve("users");
    String manifest = Files.readString(users.resolve("_tributary_manifest.json"));

    // a second faker source in the same workspace: the same three stream names
    String second =
        fixtures.embeddedConnection(scoped, fixtures.fakerTemplate(tenant, 2), Map.of("count", 5));
    JsonNode refused = fixtures.sync(tenant.operatorToken(), second);
    assertThat(refused.get("status").asString()).as(refused.toString()).isEqualTo("failed");
    assertThat(refused.get("failure_type").asString()).isEqualTo("config_error");
    assertThat(refused.get("failure_reason").asString())
        .contains("is written by another connection of this workspace (" + firstConnection + ")");
    assertThat(Files.readString(users.resolve("_tributary_manifest.json")))
        .as("the first connection's files are untouched")
        .isEqualTo(manifest);

    var deleted =
        http.delete("/api/v1/embedded/sources/" + first.json().get("id").asString(), scoped);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    JsonNode taken = fixtures.sync(tenant.operatorToken(), second);
    assertThat(taken.get("status").asString())
        .as("a deleted connection's tables are free: " + taken)
        .isEqualTo("succeeded");
  }

  private static WriteTarget target(String namespace, String name) {
    return new WriteTarget(
        namespace,
        name,
        List.of(),
        io.tributary.protocol.DestinationSyncMode.APPEND,
        List.of(),
        List.of(),
        "key/" + name);
  }

  /** The connection of a new faker source in the workspace named {@code workspace}. */
  private String connection(
      io.tributary.testing.Fixtures.Tenant tenant, String workspace, String faker, int count) {
    String scoped = fixtures.scopedToken(tenant, workspace);
    return fixtures.embeddedConnection(scoped, faker, Map.of("count", count));
  }
}
