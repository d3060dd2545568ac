package io.tributary.tag;

import static io.tributary.testing.Fixtures.FAKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

class TagApiTest extends ApiTest {

  private static final String TAGS = "/api/v1/integrations/templates/tags";

  @Autowired TagRepository tags;
  @Autowired TransactionTemplate transaction;
  @Autowired JdbcClient jdbc;

  @Test
  void aTagDeletedWhileATemplateIsBeingTaggedWithItWaitsAndThenLeavesTheTemplate()
      throws Exception {
    var tenant = fixtures.tenant();
    UUID template = UUID.fromString(fixtures.fakerTemplate(tenant, 1));
    assertThat(http.post(TAGS, tenant.operatorToken(), Map.of("name", "vip")).status())
        .isEqualTo(200);
    CountDownLatch found = new CountDownLatch(1);
    CountDownLatch attach = new CountDownLatch(1);

    // what tagging a template does, paused between finding the tag and attaching it
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    CompletableFuture<Void> tagging =
        CompletableFuture.runAsync(
            () ->
                transaction.executeWithoutResult(
                    status -> {
                      List<UUID> ids =
                          tags.getOrCreate(tenant.organizationId(), List.of("vip"), Instant.now());
                      found.countDown();
                      await(attach);
                      jdbc.sql(
                              "insert into source_template_tags (template_id, tag_id) values (?, ?)")
                          .params(template, ids.get(0))
                          .update();
                    }),
            threads);
    await(found);
    var deletion =
        CompletableFuture.supplyAsync(
            () -> http.delete(TAGS + "/vip", tenant.operatorToken()), threads);
    Awaitility.await("the tag's deletion waiting for the template being tagged")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql(
                            "select count(*) from pg_stat_activity where datname = current_database() "
                                + "and wait_event_type = 'Lock' and query like 'delete from tags%'")
                        .query(Integer.class)
                        .single()
                    == 1);
    attach.countDown();

    tagging.get(30, TimeUnit.SECONDS);
    assertThat(deletion.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(
            jdbc.sql("select count(*) from source_template_tags where template_id = ?")
                .param(template)
                .query(Integer.class)
                .single())
        .isZero();
    threads.close();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void createListRenameDelete() {
    var tenant = fixtures.tenant();
    var created = http.post(TAGS, tenant.operatorToken(), Map.of("name", "pro-tier"));
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.json().propertyNames())
        .containsExactlyInAnyOrder("id", "name", "organization_id", "created_at", "updated_at");

    assertThat(http.post(TAGS, tenant.operatorToken(), Map.of("name", "pro-tier")).status())
        .isEqualTo(409);
    assertThat(
            http.get(TAGS, tenant.operatorToken()).json().get("data").get(0).get("name").asString())
        .isEqualTo("pro-tier");

    var renamed = http.put(TAGS + "/pro-tier", tenant.operatorToken(), Map.of("name", "premium"));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().get("name").asString()).isEqualTo("premium");
    assertThat(renamed.json().get("id").asString()).isEqualTo(created.json().get("id").asString());

    var deleted = http.delete(TAGS + "/premium", tenant.operatorToken());
    assertThat(deleted.json().get("id").asString()).isEqualTo(created.json().get("id").asString());
    assertThat(deleted.json().get("deleted_at").asString()).isNotBlank();
    assertThat(http.get(TAGS, tenant.operatorToken()).dataSize()).isZero();
  }

  @Test
  void documentedErrors() {
    var tenant = fixtures.tenant();
    var unknown = http.put(TAGS + "/invalid-tag", tenant.operatorToken(), Map.of("name", "x"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body())
        .isEqualTo(
            "{\"detail\":\"Template tag with name 'invalid-tag' not found.\",\"message\":\"Template tag with name 'invalid-tag' not found.\"}");
    assertThat(http.delete(TAGS + "/invalid-tag", tenant.operatorToken()).status()).isEqualTo(404);

    var tooLong = http.post(TAGS, tenant.operatorToken(), Map.of("name", "x".repeat(256)));
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(tooLong.body())
        .isEqualTo(
            "{\"detail\":[{\"loc\":[\"body\",\"name\"],"
                + "\"msg\":\"ensure this value has at most 255 characters\",\"type\":\"value_error.any_str.max_length\"}],"
                + "\"message\":\"body.name: ensure this value has at most 255 characters\"}");
  }

  @Test
  void renameAndDeleteReachEveryTemplate() {
    var tenant = fixtures.tenant();
    String template =
        fixtures.sourceTemplate(
            tenant, FAKER, Map.of(), Map.of("tags", List.of("crm", "pro-tier")));

    http.put(TAGS + "/crm", tenant.operatorToken(), Map.of("name", "sales"));
    assertThat(tags(tenant, template)).containsExactly("pro-tier", "sales");

    http.delete(TAGS + "/pro-tier", tenant.operatorToken());
    assertThat(tags(tenant, template)).containsExactly("sales");
  }

  @Test
  void tagsAreSeparatePerOrganization() {
    var one = fixtures.tenant();
    var two = fixtures.tenant();
    http.post(TAGS, one.operatorToken(), Map.of("name", "shared"));
    assertThat(http.post(TAGS, two.operatorToken(), Map.of("name", "shared")).status())
        .isEqualTo(200);
    assertThat(http.delete(TAGS + "/shared", two.operatorToken()).status()).isEqualTo(200);
    assertThat(http.get(TAGS, one.operatorToken()).dataSize()).isEqualTo(1);
  }

  private List<String> tags(Fixtures.Tenant tenant, String template) {
    var body =
        http.get("/api/v1/integrations/templates/sources/" + template, tenant.operatorToken())
            .json();
    return body.get("tags").valueStream().map(n -> n.asString()).toList();
  }
}
