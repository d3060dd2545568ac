package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The steps of a connector's life through the public API, as an operator and an end user take them:
 * install it, connect an end user's source to a PostgreSQL warehouse, sync and wait.
 */
public final class Syncs {

  public static final String POSTGRES_DESTINATION = "25c5221d-dce2-4163-ade9-739ef790f503";

  private final Http http;
  private final Fixtures fixtures;

  public Syncs(Http http, Fixtures fixtures) {
    this.http = http;
    this.fixtures = fixtures;
  }

  /** Starts a connector install and waits for it to end (pip can take a minute or two). */
  public JsonNode install(Map<String, Object> request) {
    var started = http.post("/api/v1/admin/connectors/install", Fixtures.ADMIN_KEY, request);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String id = started.json().get("id").asString();
    await("install " + id)
        .atMost(Duration.ofMinutes(8))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> List.of("succeeded", "failed").contains(install(id).get("status").asString()));
    return install(id);
  }

  private JsonNode install(String id) {
    return http.get("/api/v1/admin/connectors/installs/" + id, Fixtures.ADMIN_KEY).json();
  }

  /**
   * An end user's source in {@code workspace}, made from the template with {@code userConfig}, and
   * its connection into {@code warehouse}.
   *
   * @return the source as created (its {@code connection_ids} hold the connection)
   */
  public JsonNode connect(
      Fixtures.Tenant tenant,
      String sourceTemplate,
      Map<String, Object> userConfig,
      SourceDatabase warehouse,
      String workspace) {
    Map<String, Object> destination = new HashMap<>(warehouse.templateDefaults());
    destination.put("database", warehouse.database());
    destination.put("schema", "public");
    destination.put("username", "postgres");
    var template =
        http.post(
            "/api/v1/integrations/templates/connections",
            tenant.operatorToken(),
            Map.of(
                "destination_name",
                "Warehouse",
                "destination_definition_id",
                POSTGRES_DESTINATION,
                "destination_config",
                destination));
    assertThat(template.status()).as(template.toString()).isEqualTo(200);
    var source =
        http.post(
            "/api/v1/embedded/sources",
            fixtures.scopedToken(tenant, workspace),
            Map.of("source_template_id", sourceTemplate, "source_config", userConfig));
    assertThat(source.status()).as(source.toString()).isEqualTo(200);
    return source.json();
  }

  /** Starts a sync of the connection and waits for its job to end. */
  public JsonNode sync(Fixtures.Tenant tenant, String connection) {
    var started =
        http.post("/api/v1/connections/" + connection + "/sync", tenant.operatorToken(), null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return finished(tenant, started.json().get("id").asString());
  }

  /** Waits for a job to end. */
  public JsonNode finished(Fixtures.Tenant tenant, String job) {
    await("job " + job)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                List.of("succeeded", "failed", "cancelled")
                    .contains(job(tenant, job).get("status").asString()));
    return job(tenant, job);
  }

  public JsonNode job(Fixtures.Tenant tenant, String job) {
    return http.get("/api/v1/jobs/" + job, tenant.operatorToken()).json();
  }

  /** The single number {@code sql} answers in the warehouse. */
  public static long number(SourceDatabase warehouse, String sql) {
    try (Connection c = DriverManager.getConnection(warehouse.jdbcUrl());
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static long count(SourceDatabase warehouse, String table) {
    return number(warehouse, "select count(*) from " + table);
  }
}
