package io.tributary.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Keyset pagination over 10,000 workspaces: each exactly once, inserts during the walk, flat page
 * cost.
 */
class WorkspacePaginationTest extends ApiTest {

  @Autowired JdbcClient jdbc;

  @Test
  void walkingTenThousandWorkspacesReturnsEachOnceWhileOthersAreCreated() throws Exception {
    var tenant = fixtures.tenant();
    jdbc.sql(
            """
            insert into workspaces (id, organization_id, name, region_id, created_at, updated_at)
            select gen_random_uuid(), ?, 'bulk-' || n, '645a183f-b12b-4c6e-8ad3-99e165603450',
                   now() - interval '1 hour' + n * interval '1 millisecond', now()
            from generate_series(1, 10000) n""")
        .param(tenant.organizationId())
        .update();
    Set<String> existing =
        new HashSet<>(
            jdbc.sql("select id::text from workspaces where organization_id = ?")
                .param(tenant.organizationId())
                .query(String.class)
                .list());

    AtomicBoolean walking = new AtomicBoolean(true);
    AtomicInteger created = new AtomicInteger();
    Thread creator =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (walking.get() && created.get() < 200) {
                    fixtures.requestScopedToken(
                        tenant, Map.of("workspace_name", "during-" + UUID.randomUUID()));
                    created.incrementAndGet();
                  }
                });

    Map<String, Integer> seen = new java.util.HashMap<>();
    String next = "/api/v1/workspaces?limit=100";
    while (next != null) {
      var page = http.get(next, tenant.operatorToken());
      assertThat(page.status()).isEqualTo(200);
      for (JsonNode workspace : page.json().get("data")) {
        seen.merge(workspace.get("id").asString(), 1, Integer::sum);
      }
      JsonNode link = page.json().get("next");
      next = link.isNull() ? null : WorkspaceApiTest.pathOf(link.asString());
    }
    walking.set(false);
    creator.join();

    assertThat(seen.values()).as("no workspace twice").allMatch(count -> count == 1);
    assertThat(seen.keySet())
        .as("every workspace that existed before the walk")
        .containsAll(existing);
    assertThat(created.get()).isPositive();
  }

  @Test
  void aPageCostsTheSameAtTheStartAndAtTheEnd() {
    var tenant = fixtures.tenant();
    jdbc.sql(
            """
            insert into workspaces (id, organization_id, name, region_id, created_at, updated_at)
            select gen_random_uuid(), ?, 'cost-' || n, '645a183f-b12b-4c6e-8ad3-99e165603450',
                   now() + n * interval '1 millisecond', now()
            from generate_series(1, 10000) n""")
        .param(tenant.organizationId())
        .update();
    jdbc.sql("analyze workspaces").update();
    var last =
        jdbc.sql(
                "select created_at, id from workspaces where organization_id = ? order by created_at desc, id desc offset 50 limit 1")
            .param(tenant.organizationId())
            .query()
            .singleRow();

    long first = rowsRead(tenant.organizationId(), null, null);
    long end =
        rowsRead(
            tenant.organizationId(),
            (java.sql.Timestamp) last.get("created_at"),
            (UUID) last.get("id"));

    assertThat(first).isLessThanOrEqualTo(21);
    assertThat(end).isLessThanOrEqualTo(21);
  }

  /** Rows the page query reads, from PostgreSQL's own accounting of the executed plan. */
  private long rowsRead(UUID organizationId, java.sql.Timestamp createdAt, UUID id) {
    String keyset =
        createdAt == null
            ? ""
            : " and (created_at, id) > ('"
                + createdAt.toInstant()
                + "'::timestamptz, '"
                + id
                + "'::uuid)";
    String plan =
        String.join(
            "\n",
            jdbc.sql(
                    "explain (analyze, format text) select id from workspaces where organization_id = '"
                        + organizationId
                        + "' and deleted_at is null"
                        + keyset
                        + " order by created_at, id limit 21")
                .query(String.class)
                .list());
    assertThat(plan).contains("Index");
    var matcher =
        java.util.regex.Pattern.compile("Index (Only )?Scan.*?actual time=\\S+ rows=(\\d+)")
            .matcher(plan);
    assertThat(matcher.find()).as(plan).isTrue();
    return Long.parseLong(matcher.group(2));
  }
}
