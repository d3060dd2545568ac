package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Creates tenants, tokens, templates and sources through the public API, and runs their syncs, as
 * an operator would.
 */
public final class Fixtures {

  public static final String ADMIN_KEY = "test-admin-key-0123456789";

  // connector definitions every server ships with
  public static final String FAKER = "dfd88b22-b603-4c3d-aad7-3701784586b1";
  public static final String LOCAL_JSON = "a625d593-bba5-4a1c-a53d-2d246268a816";
  public static final String POSTGRES_SOURCE = "decd338e-5647-4c0b-adf4-da0e75f5a750";
  public static final String POSTGRES_DESTINATION = "25c5221d-dce2-4163-ade9-739ef790f503";
  public static final String FILE = "778daa7c-feaf-4db6-96f3-70fd645acc77";

  private static final List<String> FINISHED = List.of("succeeded", "failed", "cancelled");

  private final Http http;

  public Fixtures(Http http) {
    this.http = http;
  }

  public Tenant tenant() {
    return tenant(null);
  }

  /** A new organization with one application and an operator token. */
  public Tenant tenant(Integer rateLimitPerHour) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("name", "org-" + UUID.randomUUID());
    body.put("rate_limit_per_hour", rateLimitPerHour);
    var organization = http.post("/api/v1/admin/organizations", ADMIN_KEY, body);
    assertThat(organization.status()).as(organization.toString()).isEqualTo(201);
    UUID organizationId = UUID.fromString(organization.json().get("id").asString());
    var application =
        http.post(
            "/api/v1/admin/organizations/" + organizationId + "/applications",
            ADMIN_KEY,
            Map.of("name", "test"));
    assertThat(application.status()).as(application.toString()).isEqualTo(201);
    String clientId = application.json().get("client_id").asString();
    String clientSecret = application.json().get("client_secret").asString();
    return new Tenant(
        organizationId,
        UUID.fromString(application.json().get("id").asString()),
        clientId,
        clientSecret,
        operatorToken(clientId, clientSecret));
  }

  public String operatorToken(String clientId, String clientSecret) {
    return answer(requestOperatorToken(clientId, clientSecret), 200, "access_token");
  }

  /** An application's exchange of its credentials for a token, answered as the server answers. */
  public Http.Response requestOperatorToken(String clientId, String clientSecret) {
    return http.post(
        "/api/v1/account/applications/token",
        null,
        Map.of("client_id", clientId, "client_secret", clientSecret));
  }

  public String scopedToken(Tenant tenant, String workspaceName) {
    return scopedToken(tenant, Map.of("workspace_name", workspaceName));
  }

  /** The scoped JWT inside a widget token for {@code origin}. */
  public String widgetJwt(Tenant tenant, String workspaceName, String origin) {
    return widgetJwt(tenant, workspaceName, origin, Map.of());
  }

  /** The scoped JWT inside a widget token for {@code origin}, with the other {@code fields}. */
  public String widgetJwt(
      Tenant tenant, String workspaceName, String origin, Map<String, ?> fields) {
    Map<String, Object> request = new HashMap<>(fields);
    request.put("workspace_name", workspaceName);
    request.put("allowed_origin", origin);
    return answer(
        http.post("/api/v1/embedded/widget-token?debug", tenant.operatorToken(), request),
        200,
        "token");
  }

  /** A scoped token for a workspace in {@code regionId}. */
  public String scopedToken(Tenant tenant, String workspaceName, String regionId) {
    return scopedToken(tenant, Map.of("workspace_name", workspaceName, "region_id", regionId));
  }

  private String scopedToken(Tenant tenant, Map<String, ?> request) {
    return answer(requestScopedToken(tenant, request), 200, "token");
  }

  /** The operator's request for a scoped token, answered as the server answers it. */
  public Http.Response requestScopedToken(Tenant tenant, Object request) {
    return http.post("/api/v1/embedded/scoped-token", tenant.operatorToken(), request);
  }

  /** The operator's request for a widget token, answered as the server answers it. */
  public Http.Response requestWidgetToken(Tenant tenant, Object request) {
    return http.post("/api/v1/embedded/widget-token", tenant.operatorToken(), request);
  }

  /**
   * A POST by the tenant's operator naming its organization in the header Airbyte's clients send.
   */
  public Http.Response postAsOperator(Tenant tenant, String path, Object body) {
    return http.postForOrganization(path, tenant.operatorToken(), tenant.organizationId(), body);
  }

  public UUID workspaceId(String scopedToken) {
    JsonNode info = http.get("/api/v1/embedded/scoped-token/info", scopedToken).json();
    return UUID.fromString(info.get("workspace_id").asString());
  }

  public record Tenant(
      UUID organizationId,
      UUID applicationId,
      String clientId,
      String clientSecret,
      String operatorToken) {}

  /** Registers a third-party source connector run as {@code bash script}, under a new id. */
  public String registerScriptSource(String name, String script) {
    return registerCommandSource(
        name, List.of("bash", Path.of(script).toAbsolutePath().toString()));
  }

  /** Registers a third-party source connector run as {@code command}, under a new id. */
  public String registerCommandSource(String name, List<String> command) {
    String definitionId = UUID.randomUUID().toString();
    var response = register("source", name, command, definitionId);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return definitionId;
  }

  /**
   * The admin's registration of a {@code type} connector run as {@code command}, under {@code
   * definitionId} (the server's choice when null), answered as the server answers it.
   */
  public Http.Response register(
      String type, String name, List<String> command, String definitionId) {
    Map<String, Object> body =
        new HashMap<>(Map.of("type", type, "name", name, "command", command));
    if (definitionId != null) {
      body.put("definition_id", definitionId);
    }
    return http.post("/api/v1/admin/connectors", ADMIN_KEY, body);
  }

  /**
   * Registers the organization's OAuth app for a connector ({@code configuration}: its client id
   * and secret), answered as the server answers it.
   */
  public Http.Response putOAuthApp(
      String token, String definitionId, Map<String, ?> configuration) {
    return http.put(
        "/api/v1/oauth/credentials",
        token,
        Map.of("definition_id", definitionId, "configuration", configuration));
  }

  /** A webhook endpoint of the token's organization at {@code url}, as created. */
  public JsonNode webhook(String token, String url, List<String> events) {
    var created = http.post("/api/v1/webhooks", token, Map.of("url", url, "events", events));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  /** The webhook's newest delivery, once it has been delivered. */
  public JsonNode awaitDelivered(String token, String webhookId) {
    String deliveries = "/api/v1/webhooks/" + webhookId + "/deliveries";
    await("delivery of webhook " + webhookId)
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                http.get(deliveries, token)
                    .json()
                    .get("data")
                    .get(0)
                    .get("status")
                    .asString()
                    .equals("delivered"));
    return http.get(deliveries, token).json().get("data").get(0);
  }

  /** The id of the item named {@code name} in a list the API answered. */
  public static String idNamed(JsonNode items, String name) {
    return items
        .valueStream()
        .filter(item -> item.get("name").asString().equals(name))
        .findFirst()
        .orElseThrow()
        .get("id")
        .asString();
  }

  /** Installs an Airbyte connector and waits for the install to end (pip takes a minute or two). */
  public JsonNode installConnector(Map<String, ?> request) {
    return awaitInstall(requestInstall(request));
  }

  /** The admin's install request, answered as the server answers it, before the install runs. */
  public Http.Response requestInstall(Map<String, ?> request) {
    return http.post("/api/v1/admin/connectors/install", ADMIN_KEY, request);
  }

  /** Upgrades an installed connector and waits for the install to end. */
  public JsonNode installConnectorUpgrade(String definitionId, Map<String, ?> request) {
    return awaitInstall(
        http.post("/api/v1/admin/connectors/" + definitionId + "/upgrade", ADMIN_KEY, request));
  }

  private JsonNode awaitInstall(Http.Response started) {
    String id = answer(started, 202, "id");
    await("install " + id)
        .atMost(Duration.ofMinutes(8))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !List.of("pending", "running").contains(install(id).get("status").asString()));
    return install(id);
  }

  private JsonNode install(String id) {
    return http.get("/api/v1/admin/connectors/installs/" + id, ADMIN_KEY).json();
  }

  /** The id of a new source template made of {@code body}. */
  public String sourceTemplate(Tenant tenant, Map<String, ?> body) {
    return answer(
        http.post("/api/v1/integrations/templates/sources", tenant.operatorToken(), body),
        200,
        "id");
  }

  /**
   * The id of a new template of {@code definitionId} with {@code defaults} preset, and the other
   * {@code fields} of the request.
   */
  public String sourceTemplate(
      Tenant tenant, String definitionId, Map<String, ?> defaults, Map<String, ?> fields) {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("actor_definition_id", definitionId);
    body.put("partial_default_config", defaults);
    return sourceTemplate(tenant, body);
  }

  /** A faker template: its data depends on the seed only. */
  public String fakerTemplate(Tenant tenant, int seed) {
    return sourceTemplate(tenant, FAKER, Map.of("seed", seed), Map.of());
  }

  /** A template of {@code definitionId} that selects every stream its sources discover. */
  public String allStreamsTemplate(Tenant tenant, String definitionId, Map<String, ?> defaults) {
    return sourceTemplate(
        tenant,
        definitionId,
        defaults,
        Map.of("customization", Map.of("stream_selection_mode", "all")));
  }

  /** A template for sources reading {@code database}, selecting all its tables. */
  public String postgresTemplate(Tenant tenant, SourceDatabase database) {
    return allStreamsTemplate(tenant, POSTGRES_SOURCE, database.templateDefaults());
  }

  /** A template for sources reading {@code database}, offering only the {@code tables} named. */
  public String postgresTemplate(Tenant tenant, SourceDatabase database, List<String> tables) {
    return sourceTemplate(
        tenant,
        POSTGRES_SOURCE,
        database.templateDefaults(),
        Map.of(
            "customization",
            Map.of("stream_selection_mode", "whitelist", "stream_whitelist", tables)));
  }

  /**
   * A connection template writing to {@code destinationConfig} of {@code definitionId}, synced by
   * hand unless {@code options} (other fields of the request) say otherwise.
   */
  public Http.Response connectionTemplate(
      Tenant tenant,
      String destinationName,
      String definitionId,
      Map<String, ?> destinationConfig,
      Map<String, ?> options) {
    Map<String, Object> body = new HashMap<>();
    body.put("destination_name", destinationName);
    body.put("destination_definition_id", definitionId);
    body.put("destination_config", destinationConfig);
    // tests start each sync themselves and wait for it; a first sync on creation would race it
    body.put("sync_on_create", false);
    body.putAll(options);
    return connectionTemplate(tenant, body);
  }

  /** A connection template made of {@code body}. */
  public Http.Response connectionTemplate(Tenant tenant, Map<String, ?> body) {
    var response =
        http.post("/api/v1/integrations/templates/connections", tenant.operatorToken(), body);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response;
  }

  /** A connection template writing JSON files under {@code path} of the server's local root. */
  public Http.Response lakeTemplate(
      Tenant tenant, String destinationName, String path, Map<String, ?> options) {
    return connectionTemplate(
        tenant, destinationName, LOCAL_JSON, Map.of("destination_path", path), options);
  }

  /** A connection template named "Warehouse" writing to {@code warehouse}. */
  public Http.Response warehouseTemplate(
      Tenant tenant, SourceDatabase warehouse, Map<String, ?> options) {
    Map<String, Object> destination = new HashMap<>(warehouse.templateDefaults());
    destination.put("database", warehouse.database());
    destination.put("schema", "public");
    destination.put("username", "postgres");
    return connectionTemplate(tenant, "Warehouse", POSTGRES_DESTINATION, destination, options);
  }

  /** An end user's source made from {@code templateId}, wired to every connection template. */
  public Http.Response embeddedSource(
      String scopedToken, String templateId, Map<String, ?> sourceConfig) {
    return createSource(
        scopedToken, Map.of("source_template_id", templateId, "source_config", sourceConfig));
  }

  /** An end user's source made of {@code request}, which must succeed. */
  public Http.Response createSource(String scopedToken, Map<String, ?> request) {
    var response = http.post("/api/v1/embedded/sources", scopedToken, request);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response;
  }

  /**
   * A faker source of 2000 rows on an every-minute cron into a lake under {@code lakePath}, in the
   * workspace "every minute" of region {@code regionId}: its connection. The tenant must be allowed
   * one sync a minute.
   */
  public UUID everyMinuteConnection(Tenant tenant, String lakePath, String regionId) {
    String faker = fakerTemplate(tenant, 3);
    lakeTemplate(tenant, "Lake", lakePath, Map.of("cron_expression", "0 * * * * ?"));
    String scoped = scopedToken(tenant, "every minute", regionId);
    return UUID.fromString(embeddedConnection(scoped, faker, Map.of("count", 2000)));
  }

  /** Creates an end user's source; the id of the (first) connection it gets. */
  public String embeddedConnection(
      String scopedToken, String templateId, Map<String, ?> sourceConfig) {
    return embeddedSource(scopedToken, templateId, sourceConfig)
        .json()
        .get("connection_ids")
        .get(0)
        .asString();
  }

  /** The stream settings of an incremental stream deduplicated on its {@code id}. */
  public static Map<String, Object> dedupedStream(String streamName, String cursorField) {
    return Map.of(
        "stream_name",
        streamName,
        "sync_mode",
        "incremental",
        "destination_sync_mode",
        "append_dedup",
        "cursor_field",
        List.of(cursorField),
        "primary_key",
        List.of(List.of("id")));
  }

  /** A file source's configuration reading the CSV at {@code url} from {@code storage}. */
  public static Map<String, Object> csvFile(String url, String storage) {
    return Map.of(
        "dataset_name", "x", "format", "csv", "url", url, "provider", Map.of("storage", storage));
  }

  /** Selects a stream of a source with {@code settings}, or changes the selected one's. */
  public void selectStream(String scopedToken, String sourceId, Map<String, ?> settings) {
    var response =
        http.post("/api/v1/integrations/sources/" + sourceId + "/streams", scopedToken, settings);
    assertThat(response.status()).as(response.toString()).isIn(200, 201);
  }

  /** Starts a sync of {@code connectionId}; the id of its job. */
  public String startSync(String operatorToken, String connectionId) {
    var started = http.post("/api/v1/connections/" + connectionId + "/sync", operatorToken, null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return started.json().get("id").asString();
  }

  /** Starts a sync and waits for it to finish; the finished job. */
  public JsonNode sync(String operatorToken, String connectionId) {
    return awaitFinished(operatorToken, startSync(operatorToken, connectionId));
  }

  /** The job once it has succeeded, failed or been cancelled. */
  public JsonNode awaitFinished(String token, String jobId) {
    return awaitFinished(token, jobId, Duration.ofSeconds(120));
  }

  /** The job once it has succeeded, failed or been cancelled, waiting {@code atMost}. */
  public JsonNode awaitFinished(String token, String jobId, Duration atMost) {
    await("job " + jobId)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> FINISHED.contains(jobStatus(token, jobId)));
    return http.get("/api/v1/jobs/" + jobId, token).json();
  }

  /** The records of {@code stream} the job has committed so far. */
  public long recordsCommitted(String token, String jobId, String stream) {
    JsonNode streams = http.get("/api/v1/jobs/" + jobId, token).json().get("streams");
    return streams == null || streams.get(stream) == null
        ? 0
        : streams.get(stream).get("records_committed").asLong();
  }

  public String jobStatus(String token, String jobId) {
    return http.get("/api/v1/jobs/" + jobId, token).json().get("status").asString();
  }

  /** The job's log lines, as the API's JSON text. */
  public String jobLogs(String token, String jobId) {
    return http.get("/api/v1/jobs/" + jobId + "/logs", token).json().get("logs").toString();
  }

  /** The {@code field} of a response that must have the {@code status}. */
  private static String answer(Http.Response response, int status, String field) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response.json().get(field).asString();
  }
}
