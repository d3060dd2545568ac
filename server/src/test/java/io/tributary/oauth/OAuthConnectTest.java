package io.tributary.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tributary.auth.TenantScope;
import io.tributary.source.SourceRepository;
import io.tributary.source.SourceService;
import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.OAuthProvider;
import io.tributary.testing.SourceDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-user OAuth against a real OAuth 2.0 server (navikt's mock-oauth2-server: authorize, code
 * exchange with PKCE, single-use refresh tokens, revocation, introspection) and a test API that
 * accepts only access tokens that server says are active. The connector is a declarative manifest
 * run by airbyte-cdk: the consent comes from its spec's {@code advanced_auth}, the refreshes from
 * the CDK's OAuthAuthenticator.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OAuthConnectTest extends ApiTest {

  static final Path MANIFEST = Path.of("src/test/resources/oauth/source-oauth-items.yaml");
  static final String CLIENT_ID = "tributary-items-app";
  static final String CLIENT_SECRET = "app-secret-" + UUID.randomUUID();

  /** Short-lived access tokens: every sync a few seconds apart must refresh. */
  static final long ACCESS_TOKEN_SECONDS = 12;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired SourceRepository sourceRecords;
  @Autowired SourceService sourceService;
  @Autowired JdbcClient jdbc;
  @Autowired OAuthConsents oauthConsents;
  @Autowired io.tributary.source.CredentialsKeepAlive keepAlive;

  private OAuthProvider provider;
  private HttpServer api;
  private String issuer;
  private String definitionId;
  private final List<Map<String, Object>> items = new CopyOnWriteArrayList<>();
  private final List<String> acceptedTokens = new CopyOnWriteArrayList<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();

  /** The API answers 401 whatever the token, as after the end user revoked the app. */
  private volatile boolean refusingEveryToken;

  private final HttpClient browser =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  void startTheProviderAndTheApi() throws IOException {
    provider = new OAuthProvider(ACCESS_TOKEN_SECONDS);
    issuer = provider.issuer();
    for (int i = 1; i <= 5; i++) {
      items.add(Map.of("id", i, "name", "item " + i, "updated_at", day(i)));
    }
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/items",
        exchange -> {
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          String token =
              authorization != null && authorization.startsWith("Bearer ")
                  ? authorization.substring(7)
                  : "";
          seen.add(token);
          byte[] body;
          int status;
          if (refusingEveryToken || !active(token)) {
            status = 401;
            body = "{\"error\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8);
          } else {
            acceptedTokens.add(token);
            String since = query(exchange.getRequestURI().getRawQuery()).getOrDefault("since", "");
            List<Map<String, Object>> page = new ArrayList<>();
            for (var item : items) {
              if (((String) item.get("updated_at")).compareTo(since) > 0) {
                page.add(item);
              }
            }
            status = 200;
            body = JSON.writeValueAsBytes(Map.of("data", page));
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    api.start();
  }

  @AfterAll
  void stop() {
    api.stop(0);
    provider.close();
  }

  /** The provider's own verdict on an access token (RFC 7662 introspection). */
  private boolean active(String token) {
    if (token.isEmpty()) {
      return false;
    }
    try {
      HttpResponse<String> response =
          browser.send(
              HttpRequest.newBuilder(URI.create(issuer + "/introspect"))
                  .header("Authorization", "Bearer test-api")
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("token=" + encode(token)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body()).path("active").asBoolean(false);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private String definition() throws IOException {
    if (definitionId == null) {
      JsonNode install =
          fixtures.installConnector(
              Map.of("name", "OAuth Items", "manifest", Files.readString(MANIFEST)));
      assertThat(install.get("status").asString()).as(install.toString()).isEqualTo("succeeded");
      definitionId = install.get("definition_id").asString();
    }
    return definitionId;
  }

  private String oauthTemplate(Fixtures.Tenant tenant) throws IOException {
    String id = definition();
    var app =
        fixtures.putOAuthApp(
            tenant.operatorToken(),
            id,
            Map.of("client_id", CLIENT_ID, "client_secret", CLIENT_SECRET));
    assertThat(app.status()).as(app.toString()).isEqualTo(200);
    assertThat(app.body()).doesNotContain(CLIENT_SECRET).contains(CLIENT_ID);
    return fixtures.allStreamsTemplate(
        tenant,
        id,
        Map.of(
            "base_url", "http://127.0.0.1:" + api.getAddress().getPort(), "provider_url", issuer));
  }

  /** The end user's browser: the provider's authorize endpoint, then Tributary's callback. */
  private URI consent(String consentUrl) throws IOException, InterruptedException {
    HttpResponse<String> authorize =
        browser.send(
            HttpRequest.newBuilder(URI.create(consentUrl)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(302);
    URI callback = URI.create(authorize.headers().firstValue("Location").orElseThrow());
    assertThat(callback.getPath()).isEqualTo("/api/v1/oauth/callback");
    return callback;
  }

  private HttpResponse<String> open(URI url) throws IOException, InterruptedException {
    return browser.send(
        HttpRequest.newBuilder(url).header("Accept", "text/html,*/*;q=0.8").GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Initiate, consent, callback: the secret id the operator's page receives. */
  private String connect(String token, String initiatePath, Map<String, ?> body)
      throws IOException, InterruptedException {
    var initiated = http.post(initiatePath, token, body);
    assertThat(initiated.status()).as(initiated.toString()).isEqualTo(200);
    String consentUrl = initiated.json().get("consent_url").asString();
    Map<String, String> consentQuery = query(URI.create(consentUrl).getRawQuery());
    assertThat(consentQuery.get("state")).hasSizeGreaterThanOrEqualTo(22);
    assertThat(consentQuery).containsEntry("code_challenge_method", "S256");
    assertThat(consentQuery.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    assertThat(consentQuery).containsEntry("client_id", CLIENT_ID);
    assertThat(consentUrl).doesNotContain(CLIENT_SECRET);
    HttpResponse<String> back = open(rebase(consent(consentUrl)));
    assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
    URI done = URI.create(back.headers().firstValue("Location").orElseThrow());
    assertThat(done.getPath()).isEqualTo("/oauth-done");
    String secretId = query(done.getRawQuery()).get("secret_id");
    assertThat(secretId).isNotBlank();
    return secretId;
  }

  /** A new source of the template with a consent's tokens. */
  private io.tributary.testing.Http.Response createWithSecret(
      String scoped, String templateId, String secretId) {
    return fixtures.createSource(
        scoped, Map.of("source_template_id", templateId, "secret_id", secretId));
  }

  /** The callback at this test server (the provider was given the URL the request came in on). */
  private URI rebase(URI callback) {
    return URI.create(http.base() + callback.getRawPath() + "?" + callback.getRawQuery());
  }

  private Map<String, Object> doneUrl() {
    return Map.of("redirect_url", http.base() + "/oauth-done");
  }

  private JsonNode storedCredentials(String sourceId) {
    var source =
        sourceRecords
            .findLive(
                TenantScope.wholeOrganization(
                    jdbc.sql("select organization_id from sources where id = ?")
                        .param(UUID.fromString(sourceId))
                        .query(UUID.class)
                        .single()),
                UUID.fromString(sourceId))
            .orElseThrow();
    return sourceService.effectiveConfig(source).get("credentials");
  }

  @Test
  void anEndUserConnectsByConsentSyncsWithRotatedTokensAndReconnectsInPlace() throws Exception {
    var tenant = fixtures.tenant();
    String templateId = oauthTemplate(tenant);
    var spec =
        http.get(
            "/api/v1/oauth/credentials/spec?definition_id=" + definitionId, tenant.operatorToken());
    assertThat(spec.json().get("redirect_url").asString()).endsWith("/api/v1/oauth/callback");
    SourceDatabase warehouse = SourceDatabase.create();
    fixtures.warehouseTemplate(tenant, warehouse, Map.of());
    String scoped = fixtures.scopedToken(tenant, "oauth corp");
    List<String> responses = new ArrayList<>();

    Map<String, Object> initiate = new HashMap<>(doneUrl());
    initiate.put("source_template_id", templateId);
    String secretId = connect(scoped, "/api/v1/embedded/sources/oauth/initiate", initiate);
    var created = createWithSecret(scoped, templateId, secretId);
    responses.add(created.body());
    JsonNode source = created.json();
    String sourceId = source.get("id").asString();
    assertThat(source.get("credentials_status").asString()).isEqualTo("ok");
    assertThat(source.get("source_config").get("credentials").get("refresh_token").asString())
        .isEqualTo("**********");
    String connection = source.get("connection_ids").get(0).asString();
    String firstRefreshToken = storedCredentials(sourceId).get("refresh_token").asString();
    assertThat(
            jdbc.sql("select config::text from sources where id = ?")
                .param(UUID.fromString(sourceId))
                .query(String.class)
                .single())
        .as("the operator's app is never stored with a source")
        .doesNotContain("client_secret")
        .doesNotContain("client_id");
    assertThat(storedCredentials(sourceId).get("client_secret").asString())
        .as("it reaches the connector at run time")
        .isEqualTo(CLIENT_SECRET);
    // an edit from the widget's form, which has none of the fields the consent fills, keeps them
    ObjectNode fromTheForm = ((ObjectNode) source.get("source_config")).deepCopy();
    fromTheForm.remove("credentials");
    var renamed =
        http.put(
            "/api/v1/embedded/sources/" + sourceId,
            scoped,
            Map.of("name", "Renamed", "source_config", fromTheForm));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(storedCredentials(sourceId).get("refresh_token").asString())
        .isEqualTo(firstRefreshToken);

    // 1 and 2: the first sync refreshes the expired access token and rotates the refresh token;
    // the second, later, succeeds only with the rotated one
    Thread.sleep(Duration.ofSeconds(ACCESS_TOKEN_SECONDS + 1));
    JsonNode first = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
    assertThat(warehouse.count("\"oauth corp\".items")).isEqualTo(5);
    String secondRefreshToken = storedCredentials(sourceId).get("refresh_token").asString();
    assertThat(secondRefreshToken).isNotEqualTo(firstRefreshToken);

    Thread.sleep(Duration.ofSeconds(ACCESS_TOKEN_SECONDS + 1));
    JsonNode second = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("succeeded");
    String thirdRefreshToken = storedCredentials(sourceId).get("refresh_token").asString();
    assertThat(thirdRefreshToken).isNotEqualTo(secondRefreshToken);
    assertThat(refresh(firstRefreshToken).statusCode())
        .as("the server's refresh tokens are single-use: the first one is refused now")
        .isEqualTo(400);

    // 4: the grant is revoked at the provider; the next sync fails for the credentials
    revoke(thirdRefreshToken);
    Thread.sleep(Duration.ofSeconds(ACCESS_TOKEN_SECONDS + 1));
    JsonNode refused = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(refused.get("status").asString()).as(refused.toString()).isEqualTo("failed");
    assertThat(refused.get("failure_type").asString()).isEqualTo("credentials_error");
    var afterRefusal = http.get("/api/v1/embedded/sources/" + sourceId, scoped);
    assertThat(afterRefusal.json().get("credentials_status").asString()).isEqualTo("invalid");
    assertThat(
            http.get("/api/v1/connections/" + connection, tenant.operatorToken())
                .json()
                .get("status")
                .asString())
        .isEqualTo("inactive");
    List<String> events =
        jdbc.sql("select type || ' ' || data::text from events where data->>'source_id' = ?")
            .param(sourceId)
            .query(String.class)
            .list();
    assertThat(events).anyMatch(e -> e.startsWith("source.credentials_invalid"));
    assertThat(events).anyMatch(e -> e.startsWith("connection.paused"));

    // reconnect in place: same source, same connection, from its saved state
    items.add(Map.of("id", 6, "name", "item 6", "updated_at", day(6)));
    String again =
        connect(scoped, "/api/v1/embedded/sources/" + sourceId + "/oauth/initiate", doneUrl());
    var reconnected =
        http.put("/api/v1/embedded/sources/" + sourceId, scoped, Map.of("secret_id", again));
    assertThat(reconnected.status()).as(reconnected.toString()).isEqualTo(200);
    responses.add(reconnected.body());
    assertThat(reconnected.json().get("credentials_status").asString()).isEqualTo("ok");
    assertThat(reconnected.json().get("connection_ids").get(0).asString()).isEqualTo(connection);
    assertThat(
            http.get("/api/v1/connections/" + connection, tenant.operatorToken())
                .json()
                .get("status")
                .asString())
        .isEqualTo("active");
    JsonNode resumed = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(resumed.get("status").asString()).as(resumed.toString()).isEqualTo("succeeded");
    assertThat(resumed.get("streams").get("items").get("records_committed").asLong())
        .as("only what changed since the saved cursor")
        .isEqualTo(1);
    assertThat(warehouse.count("\"oauth corp\".items")).isEqualTo(6);

    // no token in any response, job log or event
    List<String> secrets = new ArrayList<>(acceptedTokens);
    secrets.addAll(
        List.of(firstRefreshToken, secondRefreshToken, thirdRefreshToken, CLIENT_SECRET));
    responses.add(http.get("/api/v1/embedded/sources/" + sourceId, scoped).body());
    responses.add(http.get("/api/v1/oauth/credentials", tenant.operatorToken()).body());
    for (JsonNode job : List.of(first, second, refused, resumed)) {
      responses.add(job.toString());
      responses.add(fixtures.jobLogs(tenant.operatorToken(), job.get("id").asString()));
    }
    responses.addAll(events);
    assertThat(acceptedTokens).isNotEmpty();
    for (String text : responses) {
      for (String secret : secrets) {
        assertThat(text).doesNotContain(secret);
      }
    }
  }

  @Test
  void anIdleSourcesGrantIsKeptAliveByACheckWhoseRotatedTokenIsStoredAtOnce() throws Exception {
    var tenant = fixtures.tenant();
    String templateId = oauthTemplate(tenant);
    String scoped = fixtures.scopedToken(tenant, "idle corp");
    Map<String, Object> initiate = new HashMap<>(doneUrl());
    initiate.put("source_template_id", templateId);
    String secretId = connect(scoped, "/api/v1/embedded/sources/oauth/initiate", initiate);
    var created = createWithSecret(scoped, templateId, secretId);
    String sourceId = created.json().get("id").asString();
    String before = storedCredentials(sourceId).get("refresh_token").asString();

    // idle longer, in another organization: sources of other kinds, more than one batch of them,
    // which have no grant to keep alive and must not hold up this one
    var other = fixtures.tenant();
    String faker = fixtures.fakerTemplate(other, 1);
    String otherScoped = fixtures.scopedToken(other, "idle faker corp");
    for (int i = 0; i < 21; i++) {
      String idle =
          fixtures
              .embeddedSource(otherScoped, faker, Map.of("count", 1))
              .json()
              .get("id")
              .asString();
      jdbc.sql("update sources set updated_at = now() - interval '60 days' where id = ?")
          .param(UUID.fromString(idle))
          .update();
    }

    Thread.sleep(Duration.ofSeconds(ACCESS_TOKEN_SECONDS + 1));
    jdbc.sql("update sources set updated_at = now() - interval '30 days' where id = ?")
        .param(UUID.fromString(sourceId))
        .update();
    assertThat(keepAlive.runDueNow()).isGreaterThanOrEqualTo(1);
    String after = storedCredentials(sourceId).get("refresh_token").asString();
    assertThat(after)
        .as("the check refreshed the grant and its new token was kept")
        .isNotEqualTo(before);
    assertThat(refresh(before).statusCode())
        .as("the old one is dead at the provider")
        .isEqualTo(400);
    assertThat(
            http.get("/api/v1/embedded/sources/" + sourceId, scoped)
                .json()
                .get("credentials_status")
                .asString())
        .isEqualTo("ok");

    keepAlive.runDueNow();
    assertThat(storedCredentials(sourceId).get("refresh_token").asString())
        .as("checked just now: not idle")
        .isEqualTo(after);
  }

  /**
   * A check refused while a sync of the source runs marks nothing: that sync may hold a token it
   * refreshed and has not stored yet (single-use refresh tokens), and reports a real refusal
   * itself. A check that works restores credentials a refusal marked, with the connections it
   * paused.
   */
  @Test
  void aCheckRefusedDuringASyncMarksNothingAndAWorkingOneRestoresTheCredentials() throws Exception {
    var tenant = fixtures.tenant();
    String templateId = oauthTemplate(tenant);
    fixtures.warehouseTemplate(tenant, SourceDatabase.create(), Map.of());
    String scoped = fixtures.scopedToken(tenant, "racing corp");
    Map<String, Object> initiate = new HashMap<>(doneUrl());
    initiate.put("source_template_id", templateId);
    JsonNode created =
        createWithSecret(
                scoped,
                templateId,
                connect(scoped, "/api/v1/embedded/sources/oauth/initiate", initiate))
            .json();
    UUID source = UUID.fromString(created.get("id").asString());
    UUID connection = UUID.fromString(created.get("connection_ids").get(0).asString());
    String check = "/api/v1/integrations/sources/" + source + "/check";

    jdbc.sql("update sources set credentials_status = 'invalid' where id = ?")
        .param(source)
        .update();
    jdbc.sql("update connections set status = 'inactive', paused_by = 'credentials' where id = ?")
        .param(connection)
        .update();
    var working = http.post(check, tenant.operatorToken(), null);
    assertThat(working.json().get("status").asString())
        .as(working.toString())
        .isEqualTo("succeeded");
    assertThat(credentialsStatus(source)).isEqualTo("ok");
    assertThat(connectionStatus(connection)).as("resumed").isEqualTo("active");

    refusingEveryToken = true;
    try {
      refusedWhileASyncRuns(tenant, created, check);
    } finally {
      refusingEveryToken = false;
    }
  }

  private void refusedWhileASyncRuns(Fixtures.Tenant tenant, JsonNode created, String check) {
    UUID source = UUID.fromString(created.get("id").asString());
    UUID connection = UUID.fromString(created.get("connection_ids").get(0).asString());
    UUID running = UUID.randomUUID();
    jdbc.sql(
            "insert into jobs (id, organization_id, workspace_id, kind, connection_id, status,"
                + " created_at, started_at, heartbeat_at, worker)"
                + " values (?, ?, ?, 'sync', ?, 'running', now(), now(), now() + interval '1 hour', 'elsewhere#1')")
        .params(
            running,
            tenant.organizationId(),
            UUID.fromString(created.get("workspace_id").asString()),
            connection)
        .update();
    var duringASync = http.post(check, tenant.operatorToken(), null);
    assertThat(duringASync.json().get("status").asString())
        .as(duringASync.toString())
        .isEqualTo("failed");
    assertThat(credentialsStatus(source)).as("left to the running sync").isEqualTo("ok");
    assertThat(connectionStatus(connection)).isEqualTo("active");

    jdbc.sql("update jobs set status = 'failed', finished_at = now() where id = ?")
        .param(running)
        .update();
    var refused = http.post(check, tenant.operatorToken(), null);
    assertThat(refused.json().get("status").asString()).isEqualTo("failed");
    assertThat(credentialsStatus(source)).isEqualTo("invalid");
    assertThat(connectionStatus(connection)).isEqualTo("inactive");
  }

  private String credentialsStatus(UUID source) {
    return jdbc.sql("select credentials_status from sources where id = ?")
        .param(source)
        .query(String.class)
        .single();
  }

  private String connectionStatus(UUID connection) {
    return jdbc.sql("select status from connections where id = ?")
        .param(connection)
        .query(String.class)
        .single();
  }

  /**
   * A template that chooses OAuth inside the object its consent fills, without the tokens, could
   * never make a source: it is refused when it is made, not when an end user has consented.
   */
  @Test
  void aTemplatePresettingPartOfWhatTheConsentFillsIsRefused() {
    var tenant = fixtures.tenant();
    // a spec that requires nothing inside credentials (the manifest's requires its tokens, which
    // the partial check already refuses)
    String echo =
        fixtures.registerScriptSource(
            "OAuth echo", "src/test/resources/connectors/oauth-echo-source.sh");
    var refused =
        http.post(
            "/api/v1/integrations/templates/sources",
            tenant.operatorToken(),
            Map.of(
                "actor_definition_id",
                echo,
                "partial_default_config",
                Map.of("provider_url", issuer, "credentials", Map.of("auth_type", "oauth2.0"))));
    io.tributary.testing.ApiAssertions.assertInvalidAt(
        refused, "[\"body\",\"partial_default_config\",\"credentials\"]");
    assertThat(refused.body()).contains("credentials.refresh_token");
  }

  @Test
  void aConsentTestedBeforeSavingKeepsTheTokenItsCheckRotated() throws Exception {
    var tenant = fixtures.tenant();
    String templateId = oauthTemplate(tenant);
    String scoped = fixtures.scopedToken(tenant, "tested corp");
    Map<String, Object> initiate = new HashMap<>(doneUrl());
    initiate.put("source_template_id", templateId);
    String secretId = connect(scoped, "/api/v1/embedded/sources/oauth/initiate", initiate);

    // the consent's access token expires: the widget's "Test" refreshes it, and the provider's
    // refresh tokens are single-use
    Thread.sleep(Duration.ofSeconds(ACCESS_TOKEN_SECONDS + 1));
    var tested =
        http.post(
            "/api/v1/embedded/sources/check",
            scoped,
            Map.of("source_template_id", templateId, "secret_id", secretId));
    assertThat(tested.json().get("status").asString()).as(tested.toString()).isEqualTo("succeeded");

    var created = createWithSecret(scoped, templateId, secretId);
    assertThat(created.status())
        .as("saving checks again with the rotated token, not the one the test spent: " + created)
        .isEqualTo(200);
  }

  @Test
  void tokensNobodyTookAreWipedOnceExpiredWithoutAnotherConsent() throws Exception {
    var tenant = fixtures.tenant();
    String templateId = oauthTemplate(tenant);
    String scoped = fixtures.scopedToken(tenant, "forgetful corp");
    Map<String, Object> initiate = new HashMap<>(doneUrl());
    initiate.put("source_template_id", templateId);
    connect(scoped, "/api/v1/embedded/sources/oauth/initiate", initiate);
    jdbc.sql(
            "update oauth_secrets set expires_at = now() - interval '1 minute' where workspace_id = ?")
        .param(fixtures.workspaceId(scoped))
        .update();

    oauthConsents.purgeExpired();

    assertThat(
            jdbc.sql(
                    "select count(*) from oauth_secrets where workspace_id = ? and length(payload) > 0")
                .param(fixtures.workspaceId(scoped))
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void forgedReplayedAndExpiredStatesForeignRedirectsAndReusedSecretsAreRefused() throws Exception {
    var tenant = fixtures.tenant();
    String templateId = oauthTemplate(tenant);
    String scoped = fixtures.scopedToken(tenant, "careful corp");
    long consentsBefore = count("oauth_consents");

    Map<String, Object> foreign = new HashMap<>();
    foreign.put("source_template_id", templateId);
    foreign.put("redirect_url", "https://evil.example/steal");
    var refusedRedirect = http.post("/api/v1/embedded/sources/oauth/initiate", scoped, foreign);
    assertThat(refusedRedirect.status()).isEqualTo(422);
    assertThat(refusedRedirect.errorLocation()).contains("redirect_url");
    assertThat(count("oauth_consents")).isEqualTo(consentsBefore);

    var forged = open(URI.create(http.base() + "/api/v1/oauth/callback?code=abc&state=forged"));
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.body()).contains("start again");
    var forgedByProgram = http.get("/api/v1/oauth/callback?code=abc&state=forged", null);
    assertThat(forgedByProgram.status()).as("a program gets the API's JSON").isEqualTo(422);
    assertThat(forgedByProgram.body()).startsWith("{\"detail\":");

    Map<String, Object> initiate = new HashMap<>(doneUrl());
    initiate.put("source_template_id", templateId);
    var initiated = http.post("/api/v1/embedded/sources/oauth/initiate", scoped, initiate);
    URI callback = rebase(consent(initiated.json().get("consent_url").asString()));
    assertThat(open(callback).statusCode()).isEqualTo(302);
    var replayed = open(callback);
    assertThat(replayed.statusCode()).as("a state is good once").isEqualTo(400);

    var late = http.post("/api/v1/embedded/sources/oauth/initiate", scoped, initiate);
    URI lateCallback = rebase(consent(late.json().get("consent_url").asString()));
    jdbc.sql(
            "update oauth_consents set expires_at = now() - interval '1 second' where used_at is null")
        .update();
    assertThat(open(lateCallback).statusCode()).as("ten minutes, then never").isEqualTo(400);

    var declined = http.post("/api/v1/embedded/sources/oauth/initiate", scoped, initiate);
    String state =
        query(URI.create(declined.json().get("consent_url").asString()).getRawQuery()).get("state");
    var denied =
        open(
            URI.create(
                http.base() + "/api/v1/oauth/callback?error=access_denied&state=" + encode(state)));
    assertThat(denied.statusCode()).isEqualTo(302);
    Map<String, String> deniedQuery =
        query(URI.create(denied.headers().firstValue("Location").orElseThrow()).getRawQuery());
    assertThat(deniedQuery).containsEntry("error", "access_denied").doesNotContainKey("secret_id");
    assertThat(deniedQuery.get("error_description")).contains("declined");

    String secretId = connect(scoped, "/api/v1/embedded/sources/oauth/initiate", initiate);
    String otherWorkspace = fixtures.scopedToken(tenant, "someone else");
    var stolen =
        http.post(
            "/api/v1/embedded/sources",
            otherWorkspace,
            Map.of("source_template_id", templateId, "secret_id", secretId));
    assertThat(stolen.status()).as("a secret id is bound to its workspace").isEqualTo(422);
    var checked =
        http.post(
            "/api/v1/embedded/sources/check",
            scoped,
            Map.of("source_template_id", templateId, "secret_id", secretId));
    assertThat(checked.json().get("status").asString())
        .as("a check with the consent's tokens, which stay usable: " + checked)
        .isEqualTo("succeeded");
    var byOperator =
        http.post(
            "/api/v1/embedded/sources/check",
            tenant.operatorToken(),
            Map.of(
                "workspace_id", fixtures.workspaceId(scoped).toString(),
                "source_template_id", templateId,
                "secret_id", secretId));
    assertThat(byOperator.json().get("status").asString())
        .as("an operator checks with the consent of the workspace it names: " + byOperator)
        .isEqualTo("succeeded");
    var inAnotherWorkspace =
        http.post(
            "/api/v1/embedded/sources/check",
            tenant.operatorToken(),
            Map.of(
                "workspace_id", fixtures.workspaceId(otherWorkspace).toString(),
                "source_template_id", templateId,
                "secret_id", secretId));
    assertThat(inAnotherWorkspace.status()).as(inAnotherWorkspace.toString()).isEqualTo(422);
    assertThat(inAnotherWorkspace.errorLocation()).contains("secret_id");
    JsonNode offered =
        http.get("/api/v1/embedded/source-templates", scoped).json().get("data").get(0);
    assertThat(offered.get("user_config_spec").get("connectionSpecification").toString())
        .as("the end user's form has no field the consent fills")
        .doesNotContain("credentials")
        .doesNotContain("refresh_token");
    assertThat(offered.get("user_config_spec").has("advanced_auth")).isTrue();
    long sourcesBefore = count("sources");
    var created = createWithSecret(scoped, templateId, secretId);
    var reused =
        http.post(
            "/api/v1/embedded/sources",
            scoped,
            Map.of("source_template_id", templateId, "secret_id", secretId));
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.errorLocation()).contains("secret_id");
    assertThat(count("sources")).isEqualTo(sourcesBefore + 1);

    var noApp = http.delete("/api/v1/oauth/credentials/" + definitionId, tenant.operatorToken());
    assertThat(noApp.status()).isEqualTo(204);
    assertThat(http.post("/api/v1/embedded/sources/oauth/initiate", scoped, initiate).status())
        .as("no OAuth app registered")
        .isEqualTo(409);
    assertThat(
            fixtures
                .putOAuthApp(tenant.operatorToken(), definitionId, Map.of("client_id", "x"))
                .status())
        .as("the client secret is missing")
        .isEqualTo(422);
    assertThat(
            fixtures
                .putOAuthApp(scoped, definitionId, Map.of("client_id", "x", "client_secret", "y"))
                .status())
        .as("operators only")
        .isIn(401, 403);
  }

  @Test
  void onlyTheTemplateChoosesTheHostThatReceivesTheOperatorsClientSecret() throws Exception {
    var tenant = fixtures.tenant();
    oauthTemplate(tenant);
    // the same connector offered without fixing provider_url, which decides the token endpoint
    String openTemplate =
        fixtures.allStreamsTemplate(
            tenant,
            definitionId,
            Map.of("base_url", "http://127.0.0.1:" + api.getAddress().getPort()));
    List<String> stolen = new CopyOnWriteArrayList<>();
    HttpServer thief = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    thief.createContext(
        "/",
        exchange -> {
          stolen.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    thief.start();
    try {
      String thiefUrl = "http://127.0.0.1:" + thief.getAddress().getPort();
      String scoped = fixtures.scopedToken(tenant, "curious corp");
      long consentsBefore = count("oauth_consents");
      long sourcesBefore = count("sources");

      Map<String, Object> initiate = new HashMap<>(doneUrl());
      initiate.put("source_template_id", openTemplate);
      initiate.put("oauth_input_configuration", Map.of("provider_url", thiefUrl));
      var refused = http.post("/api/v1/embedded/sources/oauth/initiate", scoped, initiate);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
      assertThat(refused.errorLocation())
          .isEqualTo("[\"body\",\"oauth_input_configuration\",\"provider_url\"]");
      assertThat(refused.errorType()).isEqualTo("value_error.oauth_host");
      assertThat(refused.body()).contains("only the source template can set it");
      assertThat(count("oauth_consents")).isEqualTo(consentsBefore);

      var typed =
          http.post(
              "/api/v1/embedded/sources",
              scoped,
              Map.of(
                  "source_template_id",
                  openTemplate,
                  "source_config",
                  Map.of(
                      "provider_url",
                      thiefUrl,
                      "credentials",
                      Map.of("auth_type", "oauth2.0", "refresh_token", "typed"))));
      assertThat(typed.status())
          .as("typed tokens would be refreshed with the app's secret: " + typed)
          .isEqualTo(422);
      assertThat(typed.errorLocation()).isEqualTo("[\"body\",\"source_config\",\"provider_url\"]");
      assertThat(count("sources")).isEqualTo(sourcesBefore);

      // nor may the operator's backend: the source would hold the provider as its own value, which
      // a source may not, so the consent could never be used (the template sets it instead)
      Map<String, Object> byOperator = new HashMap<>(doneUrl());
      byOperator.put("source_template_id", openTemplate);
      byOperator.put("workspace_id", fixtures.workspaceId(scoped).toString());
      byOperator.put("oauth_input_configuration", Map.of("provider_url", issuer));
      var byTheOperator =
          http.post("/api/v1/embedded/sources/oauth/initiate", tenant.operatorToken(), byOperator);
      assertThat(byTheOperator.errorLocation())
          .as(byTheOperator.toString())
          .isEqualTo("[\"body\",\"oauth_input_configuration\",\"provider_url\"]");
      assertThat(count("oauth_consents")).isEqualTo(consentsBefore);
      assertThat(stolen).as("nothing ever reached the other host").isEmpty();
    } finally {
      thief.stop(0);
    }
  }

  private long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }

  /** Revokes the grant at the provider, as an end user disconnecting the app there does. */
  private void revoke(String refreshToken) throws IOException, InterruptedException {
    var revoked =
        browser.send(
            HttpRequest.newBuilder(URI.create(issuer + "/revoke"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "token=" + encode(refreshToken) + "&token_type_hint=refresh_token"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(revoked.statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> refresh(String refreshToken)
      throws IOException, InterruptedException {
    return browser.send(
        HttpRequest.newBuilder(URI.create(issuer + "/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "grant_type=refresh_token&refresh_token="
                        + encode(refreshToken)
                        + "&client_id="
                        + CLIENT_ID
                        + "&client_secret="
                        + encode(CLIENT_SECRET)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String day(int i) {
    return String.format("2024-01-%02dT00:00:00Z", i);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
