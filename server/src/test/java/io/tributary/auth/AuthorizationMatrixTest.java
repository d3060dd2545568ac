package io.tributary.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import io.tributary.token.SigningKeyRing;
import io.tributary.token.TestTokens;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every registered route × every kind of caller → the status it must get. A route added without a
 * row here fails {@link #everyRegisteredRouteHasARow()}; later features only add rows to {@link
 * #ROUTES}.
 */
class AuthorizationMatrixTest extends ApiTest {

  /** Who may call a route. */
  enum Access {
    PUBLIC,
    ADMIN,
    OPERATOR,
    /**
     * Operators, and end users only where the connection's template allows it, which the tenant's
     * does not: an end user is refused its own workspace's and finds no other workspace's.
     */
    OPERATOR_OR_ALLOWED_END_USER,
    END_USER,
    ANY
  }

  /** Whose resource the path names: a stranger to its owner gets 404. */
  enum Ownership {
    NONE,
    ORGANIZATION,
    WORKSPACE
  }

  /** The kinds of caller every route is tried with. */
  enum CallerKind {
    NONE,
    EXPIRED_OPERATOR,
    EXPIRED_SCOPED,
    TAMPERED,
    ADMIN_KEY,
    OTHER_ORGANIZATION_OPERATOR,
    OTHER_WORKSPACE_SCOPED,
    SCOPED,
    OPERATOR
  }

  /**
   * @param owner who owns the resource the path (or body) names; callers outside it must get 404
   * @param body the request body for this tenant and caller, or null
   */
  record Route(
      String method,
      String path,
      Access access,
      Ownership owner,
      java.util.function.BiFunction<Tenant, CallerKind, Object> body,
      List<String> alsoAt) {
    Route(
        String method,
        String path,
        Access access,
        Ownership owner,
        java.util.function.BiFunction<Tenant, CallerKind, Object> body) {
      this(method, path, access, owner, body, List.of());
    }

    Route(
        String method,
        String path,
        Access access,
        boolean ownsResource,
        Function<Tenant, Object> body) {
      this(
          method,
          path,
          access,
          ownsResource ? Ownership.ORGANIZATION : Ownership.NONE,
          body == null ? null : (t, c) -> body.apply(t));
    }

    /** The same endpoint served on other paths too, each answering as this one must. */
    Route alsoAt(String... paths) {
      return new Route(method, path, access, owner, body, List.of(paths));
    }

    /** A row for each path the endpoint is served on. */
    Stream<Route> rows() {
      return Stream.concat(
          Stream.of(this),
          alsoAt.stream().map(other -> new Route(method, other, access, owner, body)));
    }

    String key() {
      return method + " " + path;
    }
  }

  /**
   * The tenant a route is exercised against, with a second organization and workspace as strangers.
   */
  record Tenant(
      Fixtures.Tenant own,
      Fixtures.Tenant other,
      UUID workspaceId,
      String scoped,
      String otherWorkspaceScoped,
      String otherOrganizationOperator,
      String expiredOperator,
      String expiredScoped,
      String tampered,
      String tag,
      UUID sourceTemplateId,
      UUID connectionTemplateId,
      UUID sourceId,
      UUID connectionId,
      UUID destinationId,
      UUID jobId,
      UUID oauthTemplateId,
      UUID oauthSourceId,
      UUID webhookId,
      UUID deliveryId) {}

  static final String OAUTH_ECHO_SOURCE =
      java.nio.file.Path.of("src/test/resources/connectors/oauth-echo-source.sh")
          .toAbsolutePath()
          .toString();
  private static String oauthDefinition;

  /** A registered connector whose spec declares an OAuth flow; one for the whole matrix. */
  static String oauthDefinition() {
    return oauthDefinition;
  }

  static final String FAKER = "dfd88b22-b603-4c3d-aad7-3701784586b1";
  static final String LOCAL_JSON = "a625d593-bba5-4a1c-a53d-2d246268a816";
  static final String ECHO_SOURCE =
      java.nio.file.Path.of("src/test/resources/connectors/echo-source.sh")
          .toAbsolutePath()
          .toString();

  static final List<Route> ROUTES =
      Stream.of(
              new Route("GET", "/api/v1/health", Access.PUBLIC, false, null),
              new Route("GET", "/api/v1/health/live", Access.PUBLIC, false, null),
              new Route("GET", "/api/v1/.well-known/jwks.json", Access.PUBLIC, false, null),
              new Route("GET", "/api/v1/changelog", Access.PUBLIC, false, null),
              new Route(
                  "POST",
                  "/api/v1/account/applications/token",
                  Access.PUBLIC,
                  false,
                  t ->
                      Map.of(
                          "client_id",
                          t.own().clientId(),
                          "client_secret",
                          t.own().clientSecret())),
              new Route(
                      "POST",
                      "/api/v1/embedded/scoped-token",
                      Access.OPERATOR,
                      false,
                      t -> Map.of("workspace_name", "matrix"))
                  .alsoAt("/api/v1/account/applications/scoped-token"),
              new Route(
                      "POST",
                      "/api/v1/embedded/widget-token",
                      Access.OPERATOR,
                      false,
                      t ->
                          Map.of(
                              "workspace_name", "matrix", "allowed_origin", "https://app.example"))
                  .alsoAt(
                      "/api/v1/embedded/widget_token", "/api/v1/account/applications/widget-token"),
              // the public Airbyte API's paths, as Airbyte's sample apps call them
              new Route(
                      "POST",
                      "/v1/applications/token",
                      Access.PUBLIC,
                      false,
                      t ->
                          Map.of(
                              "client_id",
                              t.own().clientId(),
                              "client_secret",
                              t.own().clientSecret(),
                              "grant-type",
                              "client_credentials"))
                  .alsoAt("/api/v1/applications/token"),
              new Route(
                  "POST",
                  "/v1/embedded/widget_token",
                  Access.OPERATOR,
                  Ownership.NONE,
                  (t, c) ->
                      Map.of(
                          "organizationId",
                          (c == CallerKind.OTHER_ORGANIZATION_OPERATOR ? t.other() : t.own())
                              .organizationId()
                              .toString(),
                          "allowedOrigin",
                          "https://app.example",
                          "externalUserId",
                          "matrix")),
              new Route("GET", "/api/v1/embedded/scoped-token/info", Access.END_USER, false, null)
                  .alsoAt(
                      "/api/v1/embedded/scoped-token-info",
                      "/api/v1/embedded/organizations/current-scoped",
                      "/api/v1/account/applications/scoped-token/info"),
              new Route(
                  "POST",
                  "/api/v1/workspaces/{workspaceId}/revoke-tokens",
                  Access.OPERATOR,
                  true,
                  null),
              new Route("GET", "/api/v1/workspaces", Access.OPERATOR, false, null),
              new Route("GET", "/api/v1/workspaces/stats", Access.OPERATOR, false, null),
              new Route("GET", "/api/v1/workspaces/{workspaceId}", Access.OPERATOR, true, null),
              new Route(
                  "PUT",
                  "/api/v1/workspaces/{workspaceId}",
                  Access.OPERATOR,
                  true,
                  t -> Map.of("status", "active")),
              new Route("DELETE", "/api/v1/workspaces/{workspaceId}", Access.OPERATOR, true, null),
              new Route(
                  "GET",
                  "/api/v1/workspaces/{workspaceId}/status",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  null),
              new Route("GET", "/api/v1/regions", Access.OPERATOR, false, null),
              new Route(
                  "POST",
                  "/api/v1/integrations/templates/tags",
                  Access.OPERATOR,
                  false,
                  t -> Map.of("name", "tag-" + UUID.randomUUID())),
              new Route("GET", "/api/v1/integrations/templates/tags", Access.OPERATOR, false, null),
              new Route(
                  "PUT",
                  "/api/v1/integrations/templates/tags/{tag}",
                  Access.OPERATOR,
                  true,
                  t -> Map.of("name", "renamed-" + UUID.randomUUID())),
              new Route(
                  "DELETE",
                  "/api/v1/integrations/templates/tags/{tag}",
                  Access.OPERATOR,
                  true,
                  null),
              new Route(
                  "GET", "/api/v1/integrations/definitions/sources", Access.OPERATOR, false, null),
              new Route(
                  "GET",
                  "/api/v1/integrations/definitions/sources/" + FAKER,
                  Access.OPERATOR,
                  false,
                  null),
              new Route(
                  "GET",
                  "/api/v1/integrations/definitions/destinations",
                  Access.OPERATOR,
                  false,
                  null),
              new Route(
                  "GET",
                  "/api/v1/integrations/definitions/destinations/" + LOCAL_JSON,
                  Access.OPERATOR,
                  false,
                  null),
              new Route(
                      "POST",
                      "/api/v1/integrations/templates/sources",
                      Access.OPERATOR,
                      false,
                      t ->
                          Map.of(
                              "actor_definition_id",
                              FAKER,
                              "partial_default_config",
                              Map.of("count", 10)))
                  .alsoAt("/api/v1/embedded/templates/sources"),
              new Route(
                  "GET", "/api/v1/integrations/templates/sources", Access.OPERATOR, false, null),
              new Route(
                  "GET",
                  "/api/v1/integrations/templates/sources/{sourceTemplateId}",
                  Access.OPERATOR,
                  true,
                  null),
              new Route(
                  "PATCH",
                  "/api/v1/integrations/templates/sources/{sourceTemplateId}",
                  Access.OPERATOR,
                  true,
                  t -> Map.of("name", "renamed")),
              new Route(
                  "DELETE",
                  "/api/v1/integrations/templates/sources/{sourceTemplateId}",
                  Access.OPERATOR,
                  true,
                  null),
              new Route(
                  "POST",
                  "/api/v1/integrations/templates/sources/{sourceTemplateId}/tags",
                  Access.OPERATOR,
                  true,
                  t -> Map.of("tag", "extra")),
              new Route(
                  "DELETE",
                  "/api/v1/integrations/templates/sources/{sourceTemplateId}/tags/{tag}",
                  Access.OPERATOR,
                  true,
                  null),
              new Route(
                  "POST",
                  "/api/v1/integrations/templates/connections",
                  Access.OPERATOR,
                  false,
                  t ->
                      Map.of(
                          "destination_name",
                          "lake",
                          "destination_definition_id",
                          LOCAL_JSON,
                          "destination_config",
                          Map.of("destination_path", "/local/matrix"))),
              new Route(
                  "GET",
                  "/api/v1/integrations/templates/connections",
                  Access.OPERATOR,
                  false,
                  null),
              new Route(
                  "GET",
                  "/api/v1/integrations/templates/connections/{connectionTemplateId}",
                  Access.OPERATOR,
                  true,
                  null),
              new Route(
                  "PATCH",
                  "/api/v1/integrations/templates/connections/{connectionTemplateId}",
                  Access.OPERATOR,
                  true,
                  t -> Map.of("sync_on_create", false)),
              new Route(
                  "DELETE",
                  "/api/v1/integrations/templates/connections/{connectionTemplateId}",
                  Access.OPERATOR,
                  true,
                  null),
              new Route(
                  "POST",
                  "/api/v1/integrations/templates/connections/cron/describe",
                  Access.OPERATOR,
                  false,
                  t -> Map.of("cron_expression", "0 0 12 * * ?")),
              new Route(
                  "POST",
                  "/api/v1/integrations/templates/connections/{connectionTemplateId}/tags",
                  Access.OPERATOR,
                  true,
                  t -> Map.of("tag", "extra")),
              new Route(
                  "DELETE",
                  "/api/v1/integrations/templates/connections/{connectionTemplateId}/tags/{tag}",
                  Access.OPERATOR,
                  true,
                  null),
              new Route(
                  "POST",
                  "/api/v1/admin/organizations",
                  Access.ADMIN,
                  false,
                  t -> Map.of("name", "matrix-" + UUID.randomUUID())),
              new Route("GET", "/api/v1/admin/organizations", Access.ADMIN, false, null),
              new Route(
                  "PATCH",
                  "/api/v1/admin/organizations/{organizationId}",
                  Access.ADMIN,
                  false,
                  t -> Map.of()),
              new Route(
                  "POST",
                  "/api/v1/admin/organizations/{organizationId}/applications",
                  Access.ADMIN,
                  false,
                  t -> Map.of("name", "m")),
              new Route(
                  "GET",
                  "/api/v1/admin/organizations/{organizationId}/applications",
                  Access.ADMIN,
                  false,
                  null),
              new Route(
                  "DELETE",
                  "/api/v1/admin/applications/{applicationId}",
                  Access.ADMIN,
                  false,
                  null),
              new Route("POST", "/api/v1/admin/signing-keys/rotate", Access.ADMIN, false, null),
              new Route("GET", "/api/v1/admin/signing-keys", Access.ADMIN, false, null),
              new Route(
                  "POST",
                  "/api/v1/admin/connectors",
                  Access.ADMIN,
                  false,
                  t ->
                      Map.of(
                          "type",
                          "source",
                          "name",
                          "matrix-" + UUID.randomUUID(),
                          "command",
                          List.of("bash", ECHO_SOURCE))),
              new Route("GET", "/api/v1/admin/connectors", Access.ADMIN, false, null),
              new Route(
                  "POST",
                  "/api/v1/admin/connectors/install",
                  Access.ADMIN,
                  false,
                  t ->
                      Map.of(
                          "name",
                          "airbyte-source-faker==99.99.99",
                          "definition_id",
                          UUID.randomUUID().toString())),
              new Route(
                  "GET",
                  "/api/v1/admin/connectors/installs/{installId}",
                  Access.ADMIN,
                  false,
                  null),
              new Route(
                  "POST",
                  "/api/v1/admin/connectors/{externalConnectorId}/upgrade",
                  Access.ADMIN,
                  false,
                  t -> Map.of()),
              new Route(
                  "DELETE",
                  "/api/v1/admin/connectors/{externalConnectorId}",
                  Access.ADMIN,
                  false,
                  null),
              new Route(
                  "PUT",
                  "/api/v1/oauth/credentials",
                  Access.OPERATOR,
                  Ownership.NONE,
                  (t, c) ->
                      Map.of(
                          "definition_id",
                          oauthDefinition(),
                          "configuration",
                          Map.of("client_id", "matrix-app", "client_secret", "matrix-secret"))),
              new Route("GET", "/api/v1/oauth/credentials", Access.OPERATOR, Ownership.NONE, null),
              new Route(
                  "GET", "/api/v1/oauth/credentials/spec", Access.OPERATOR, Ownership.NONE, null),
              new Route(
                  "DELETE",
                  "/api/v1/oauth/credentials/{definition}",
                  Access.OPERATOR,
                  Ownership.ORGANIZATION,
                  null),
              new Route(
                  "POST",
                  "/api/v1/embedded/sources/oauth/initiate",
                  Access.ANY,
                  Ownership.ORGANIZATION,
                  (t, c) -> {
                    Map<String, Object> body = new java.util.HashMap<>();
                    body.put("source_template_id", t.oauthTemplateId().toString());
                    if (c == CallerKind.OPERATOR || c == CallerKind.OTHER_ORGANIZATION_OPERATOR) {
                      body.put("workspace_id", t.workspaceId().toString());
                    }
                    return body;
                  }),
              new Route(
                  "POST",
                  "/api/v1/embedded/sources/{sourceId}/oauth/initiate",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  (t, c) -> Map.of()),
              new Route(
                  "POST",
                  "/api/v1/webhooks",
                  Access.OPERATOR,
                  Ownership.NONE,
                  (t, c) -> Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("*"))),
              new Route("GET", "/api/v1/webhooks", Access.OPERATOR, Ownership.NONE, null),
              new Route(
                  "GET",
                  "/api/v1/webhooks/{webhookId}",
                  Access.OPERATOR,
                  Ownership.ORGANIZATION,
                  null),
              new Route(
                  "PATCH",
                  "/api/v1/webhooks/{webhookId}",
                  Access.OPERATOR,
                  Ownership.ORGANIZATION,
                  (t, c) -> Map.of("description", "renamed")),
              new Route(
                  "DELETE",
                  "/api/v1/webhooks/{webhookId}",
                  Access.OPERATOR,
                  Ownership.ORGANIZATION,
                  null),
              new Route(
                  "POST",
                  "/api/v1/webhooks/{webhookId}/rotate-secret",
                  Access.OPERATOR,
                  Ownership.ORGANIZATION,
                  null),
              new Route(
                  "POST",
                  "/api/v1/webhooks/{webhookId}/test",
                  Access.OPERATOR,
                  Ownership.ORGANIZATION,
                  null),
              new Route(
                  "GET",
                  "/api/v1/webhooks/{webhookId}/deliveries",
                  Access.OPERATOR,
                  Ownership.ORGANIZATION,
                  null),
              new Route(
                  "POST",
                  "/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/retry",
                  Access.OPERATOR,
                  Ownership.ORGANIZATION,
                  null),
              new Route(
                  "GET", "/api/v1/embedded/source-templates", Access.ANY, Ownership.NONE, null),
              new Route("GET", "/api/v1/embedded/widget-theme", Access.ANY, Ownership.NONE, null),
              new Route(
                  "PUT",
                  "/api/v1/embedded/widget-theme",
                  Access.OPERATOR,
                  Ownership.NONE,
                  (t, c) -> Map.of("name", "Acme", "primary_color", "#0b7285")),
              new Route(
                      "POST",
                      "/api/v1/embedded/sources",
                      Access.ANY,
                      Ownership.ORGANIZATION,
                      AuthorizationMatrixTest::newSource)
                  .alsoAt("/api/v1/integrations/sources"),
              new Route("GET", "/api/v1/embedded/sources", Access.ANY, Ownership.NONE, null)
                  .alsoAt("/api/v1/integrations/sources"),
              new Route(
                      "GET",
                      "/api/v1/embedded/sources/{sourceId}",
                      Access.ANY,
                      Ownership.WORKSPACE,
                      null)
                  .alsoAt("/api/v1/integrations/sources/{sourceId}"),
              new Route(
                      "PUT",
                      "/api/v1/embedded/sources/{sourceId}",
                      Access.ANY,
                      Ownership.WORKSPACE,
                      (t, c) -> Map.of("name", "renamed"))
                  .alsoAt("/api/v1/integrations/sources/{sourceId}"),
              new Route(
                      "DELETE",
                      "/api/v1/embedded/sources/{sourceId}",
                      Access.ANY,
                      Ownership.WORKSPACE,
                      null)
                  .alsoAt("/api/v1/integrations/sources/{sourceId}"),
              new Route(
                  "POST",
                  "/api/v1/embedded/sources/check",
                  Access.ANY,
                  Ownership.ORGANIZATION,
                  (t, c) ->
                      Map.of(
                          "source_template_id",
                          t.sourceTemplateId().toString(),
                          "source_config",
                          Map.of("count", 5))),
              new Route(
                  "POST",
                  "/api/v1/integrations/sources/{sourceId}/check",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  null),
              new Route(
                  "GET",
                  "/api/v1/integrations/sources/{sourceId}/discover",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  null),
              new Route(
                  "POST",
                  "/api/v1/integrations/sources/{sourceId}/catalog/query",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  (t, c) -> Map.of("jmes_query", "streams[*].name")),
              new Route(
                  "GET",
                  "/api/v1/integrations/sources/{sourceId}/streams",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  null),
              new Route(
                  "POST",
                  "/api/v1/integrations/sources/{sourceId}/streams",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  (t, c) -> Map.of("stream_name", "users")),
              new Route(
                  "GET",
                  "/api/v1/integrations/sources/{sourceId}/streams/{streamName}",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  null),
              new Route(
                  "PATCH",
                  "/api/v1/integrations/sources/{sourceId}/streams/{streamName}",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  (t, c) ->
                      List.of(
                          Map.of(
                              "op",
                              "replace",
                              "path",
                              "/destination_sync_mode",
                              "value",
                              "append"))),
              new Route(
                  "DELETE",
                  "/api/v1/integrations/sources/{sourceId}/streams/{streamName}",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  null),
              new Route("GET", "/api/v1/connections", Access.ANY, Ownership.NONE, null),
              new Route(
                  "GET",
                  "/api/v1/connections/{connectionId}",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  null),
              new Route(
                  "PATCH",
                  "/api/v1/connections/{connectionId}",
                  Access.OPERATOR,
                  true,
                  t -> Map.of("status", "active")),
              // the operator's warehouse, not the end user's: SPEC §3 gives scoped tokens none
              new Route("GET", "/api/v1/destinations", Access.OPERATOR, Ownership.NONE, null),
              new Route(
                  "GET",
                  "/api/v1/destinations/{destinationId}",
                  Access.OPERATOR,
                  Ownership.WORKSPACE,
                  null),
              new Route(
                  "POST",
                  "/api/v1/integrations/sources/{sourceId}/discover",
                  Access.ANY,
                  Ownership.WORKSPACE,
                  null),
              new Route("GET", "/api/v1/jobs/{jobId}", Access.ANY, Ownership.WORKSPACE, null),
              new Route("GET", "/api/v1/jobs", Access.ANY, Ownership.NONE, null),
              new Route("GET", "/api/v1/jobs/{jobId}/logs", Access.ANY, Ownership.WORKSPACE, null),
              // end users too, where the connection template allows it (EndUserSyncTest)
              new Route(
                  "POST",
                  "/api/v1/connections/{connectionId}/sync",
                  Access.OPERATOR_OR_ALLOWED_END_USER,
                  Ownership.WORKSPACE,
                  null),
              new Route(
                  "POST",
                  "/api/v1/connections/{connectionId}/refresh",
                  Access.OPERATOR,
                  true,
                  null),
              new Route("POST", "/api/v1/jobs/{jobId}/cancel", Access.OPERATOR, true, null),
              new Route("POST", "/api/v1/workspaces/sync", Access.OPERATOR, false, null))
          .flatMap(Route::rows)
          .toList();

  /**
   * A source in the caller's workspace: an operator names the tenant's workspace, an end user is in
   * its own.
   */
  private static Object newSource(Tenant t, CallerKind caller) {
    Map<String, Object> body =
        new java.util.HashMap<>(
            Map.of(
                "source_template_id",
                t.sourceTemplateId().toString(),
                "source_config",
                Map.of("count", 5)));
    if (caller == CallerKind.OPERATOR || caller == CallerKind.OTHER_ORGANIZATION_OPERATOR) {
      body.put("workspace_id", t.workspaceId().toString());
    }
    return body;
  }

  /** Framework routes that are not part of the API surface. */
  /**
   * Pages and files for browsers, needing no token (the demo's only when it is on): WidgetPageTest
   * and WidgetIT.
   */
  private static final Set<String> NOT_API =
      Set.of(
          "/error",
          "/embedded-widget",
          // the provider sends browsers back here: OAuthConnectTest
          "/api/v1/oauth/callback",
          "/widget/v1/{file:widget\\.js|app\\.js|app\\.css}",
          "/demo",
          "/demo/demo.js",
          "/demo/widget-token",
          "/demo/activity");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Autowired SigningKeyRing keys;

  @Autowired JdbcClient jdbc;

  @Test
  void everyRegisteredRouteHasARow() {
    Set<String> registered = new TreeSet<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
        mappings.getHandlerMethods().entrySet()) {
      if (!entry.getValue().getBeanType().getPackageName().startsWith("io.tributary")) {
        continue;
      }
      for (String registeredPattern : entry.getKey().getPatternValues()) {
        String pattern =
            registeredPattern
                .replace(
                    "/admin/connectors/{definitionId}", "/admin/connectors/{externalConnectorId}")
                .replace("/{definitionId}", "/{definition}")
                .replace("{tagName}", "{tag}")
                .replace("{name}", "{tag}")
                .replace(
                    "/integrations/templates/sources/{templateId}",
                    "/integrations/templates/sources/{sourceTemplateId}")
                .replace(
                    "/integrations/templates/connections/{templateId}",
                    "/integrations/templates/connections/{connectionTemplateId}");
        // caller order puts OPERATOR last so destructive calls (DELETE) run after the others
        if (NOT_API.contains(pattern)) {
          continue;
        }
        entry
            .getKey()
            .getMethodsCondition()
            .getMethods()
            .forEach(method -> registered.add(method.name() + " " + pattern));
      }
    }
    Set<String> covered =
        new LinkedHashSet<>(
            ROUTES.stream()
                .map(
                    route ->
                        route
                            .key()
                            .replace(FAKER, "{definition}")
                            .replace(LOCAL_JSON, "{definition}"))
                .toList());
    assertThat(covered).as("routes in the matrix").containsExactlyInAnyOrderElementsOf(registered);
  }

  @TestFactory
  Stream<DynamicContainer> everyRouteAnswersEveryCallerAsExpected() {
    return ROUTES.stream()
        .map(
            route -> {
              Tenant[] tenant = new Tenant[1];
              List<DynamicTest> tests = new ArrayList<>();
              for (CallerKind caller : CallerKind.values()) {
                tests.add(
                    DynamicTest.dynamicTest(
                        caller.name(),
                        () -> {
                          // Two kinds of caller may delete: each deletes its own fresh resource.
                          boolean destructiveForAll =
                              route.method().equals("DELETE") && route.access() == Access.ANY;
                          if (tenant[0] == null || destructiveForAll) {
                            tenant[0] = tenant();
                          }
                          Http.Response response = call(route, caller, tenant[0]);
                          assertExpected(route, caller, response);
                        }));
              }
              return DynamicContainer.dynamicContainer(route.key(), tests);
            });
  }

  private Tenant tenant() {
    Fixtures.Tenant own = fixtures.tenant();
    Fixtures.Tenant other = fixtures.tenant();
    String scoped = fixtures.scopedToken(own, "matrix-own");
    UUID workspaceId = fixtures.workspaceId(scoped);
    String tag = "matrix-tag";
    String sourceTemplate =
        fixtures.sourceTemplate(own, FAKER, Map.of("seed", 5), Map.of("tags", List.of(tag)));
    var connectionTemplate =
        fixtures.lakeTemplate(own, "lake", "/local/matrix", Map.of("tags", List.of(tag)));
    var source = fixtures.embeddedSource(scoped, sourceTemplate, Map.of("count", 5));
    UUID connectionId = UUID.fromString(source.json().get("connection_ids").get(0).asString());
    String destinationId =
        http.get("/api/v1/connections/" + connectionId, own.operatorToken())
            .json()
            .get("destination_id")
            .asString();
    String jobId =
        http.post(
                "/api/v1/integrations/sources/" + source.json().get("id").asString() + "/discover",
                scoped,
                null)
            .json()
            .get("job_id")
            .asString();
    if (oauthDefinition == null) {
      oauthDefinition =
          fixtures.registerScriptSource("matrix-oauth-" + UUID.randomUUID(), OAUTH_ECHO_SOURCE);
    }
    http.put(
        "/api/v1/oauth/credentials",
        own.operatorToken(),
        Map.of(
            "definition_id",
            oauthDefinition,
            "configuration",
            Map.of("client_id", "matrix-app", "client_secret", "matrix-secret")));
    String oauthTemplate =
        fixtures.allStreamsTemplate(
            own, oauthDefinition, Map.of("provider_url", "https://provider.example"));
    // typed-in tokens: the source exists without a consent, and can then reconnect by one
    String oauthSource =
        fixtures
            .embeddedSource(
                scoped,
                oauthTemplate,
                Map.of("credentials", Map.of("auth_type", "oauth2.0", "refresh_token", "typed")))
            .json()
            .get("id")
            .asString();
    UUID webhookId =
        UUID.fromString(
            http.post(
                    "/api/v1/webhooks",
                    own.operatorToken(),
                    Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("source.deleted")))
                .json()
                .get("id")
                .asString());
    return new Tenant(
        own,
        other,
        workspaceId,
        scoped,
        fixtures.scopedToken(own, "matrix-neighbour"),
        other.operatorToken(),
        TestTokens.expiredOperatorToken(keys, own),
        TestTokens.expiredScopedToken(keys, own, workspaceId),
        TestTokens.tampered(
            own.operatorToken(),
            own.organizationId().toString(),
            other.organizationId().toString()),
        tag,
        UUID.fromString(sourceTemplate),
        UUID.fromString(connectionTemplate.json().get("id").asString()),
        UUID.fromString(source.json().get("id").asString()),
        connectionId,
        UUID.fromString(destinationId),
        UUID.fromString(jobId),
        UUID.fromString(oauthTemplate),
        UUID.fromString(oauthSource),
        webhookId,
        failedDelivery(own, webhookId));
  }

  /** A delivery that failed for good, so a retry of it is always allowed. */
  private UUID failedDelivery(Fixtures.Tenant own, UUID webhookId) {
    UUID event = UUID.randomUUID();
    UUID delivery = UUID.randomUUID();
    jdbc.sql(
            "insert into events (id, organization_id, type, data, created_at)"
                + " values (?, ?, 'webhook.test', '{}', now())")
        .params(event, own.organizationId())
        .update();
    jdbc.sql(
            "insert into webhook_deliveries (id, organization_id, endpoint_id, event_id, status,"
                + " attempts, next_attempt_at, created_at) values (?, ?, ?, ?, 'failed', 8, now(), now())")
        .params(delivery, own.organizationId(), webhookId, event)
        .update();
    return delivery;
  }

  private Http.Response call(Route route, CallerKind caller, Tenant t) {
    String token =
        switch (caller) {
          case NONE -> null;
          case EXPIRED_OPERATOR -> t.expiredOperator();
          case EXPIRED_SCOPED -> t.expiredScoped();
          case TAMPERED -> t.tampered();
          case ADMIN_KEY -> Fixtures.ADMIN_KEY;
          case OTHER_ORGANIZATION_OPERATOR -> t.otherOrganizationOperator();
          case OTHER_WORKSPACE_SCOPED -> t.otherWorkspaceScoped();
          case SCOPED -> t.scoped();
          case OPERATOR -> t.own().operatorToken();
        };
    String path =
        route
            .path()
            .replace("{workspaceId}", t.workspaceId().toString())
            .replace("{organizationId}", t.own().organizationId().toString())
            .replace("{tag}", t.tag())
            .replace("{sourceTemplateId}", t.sourceTemplateId().toString())
            .replace("{connectionTemplateId}", t.connectionTemplateId().toString())
            .replace(
                "{sourceId}",
                (route.path().endsWith("/oauth/initiate") ? t.oauthSourceId() : t.sourceId())
                    .toString())
            .replace("{definition}", oauthDefinition)
            .replace("{webhookId}", t.webhookId().toString())
            .replace("{deliveryId}", t.deliveryId().toString())
            .replace("{connectionId}", t.connectionId().toString())
            .replace("{destinationId}", t.destinationId().toString())
            .replace("{streamName}", "users")
            .replace(
                "{jobId}",
                route.path().endsWith("/cancel") && caller == CallerKind.OPERATOR
                    ? pendingSync(t)
                    : t.jobId().toString())
            .replace(
                "{externalConnectorId}",
                caller == CallerKind.ADMIN_KEY ? freshConnector() : UUID.randomUUID().toString())
            .replace(
                "{applicationId}",
                caller == CallerKind.ADMIN_KEY
                    ? freshApplication(t)
                    : t.own().applicationId().toString());
    if (path.contains("{installId}")) {
      // made only where the path names one: an install is a background pip run
      path =
          path.replace(
              "{installId}",
              caller == CallerKind.ADMIN_KEY ? freshInstall() : UUID.randomUUID().toString());
    }
    if (path.endsWith("/oauth/credentials/spec")) {
      path += "?definition_id=" + oauthDefinition;
    }
    Object body = route.body() == null ? null : route.body().apply(t, caller);
    return http.send(route.method(), path, token, body, Map.of());
  }

  /** A sync queued for later, so the worker leaves it pending for the cancel call. */
  private String pendingSync(Tenant t) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into jobs (id, organization_id, workspace_id, kind, connection_id, status, created_at, not_before) "
                + "values (?, ?, ?, 'sync', ?, 'pending', now(), now() + interval '1 hour')")
        .params(id, t.own().organizationId(), t.workspaceId(), t.connectionId())
        .update();
    return id.toString();
  }

  private String freshConnector() {
    return fixtures.registerScriptSource("to-remove-" + UUID.randomUUID(), ECHO_SOURCE);
  }

  /** An install that fails at once (no such version on PyPI): enough to read its status. */
  private String freshInstall() {
    return http.post(
            "/api/v1/admin/connectors/install",
            Fixtures.ADMIN_KEY,
            Map.of(
                "name",
                "airbyte-source-faker==99.99.99",
                "definition_id",
                UUID.randomUUID().toString()))
        .json()
        .get("id")
        .asString();
  }

  /** Revoking must not disable the tenant's own application, which later rows still use. */
  private String freshApplication(Tenant t) {
    var created =
        http.post(
            "/api/v1/admin/organizations/" + t.own().organizationId() + "/applications",
            Fixtures.ADMIN_KEY,
            Map.of("name", "to-revoke"));
    return created.json().get("id").asString();
  }

  private static void assertExpected(Route route, CallerKind caller, Http.Response response) {
    var status = assertThat(response.status()).as("%s as %s: %s", route.key(), caller, response);
    switch (route.access()) {
      case PUBLIC -> status.isBetween(200, 299);
      case ADMIN -> {
        if (caller == CallerKind.ADMIN_KEY) {
          status.isBetween(200, 299);
        } else {
          status.isEqualTo(401);
        }
      }
      case OPERATOR -> {
        switch (caller) {
          case NONE, EXPIRED_OPERATOR, EXPIRED_SCOPED, TAMPERED, ADMIN_KEY -> status.isEqualTo(401);
          case SCOPED, OTHER_WORKSPACE_SCOPED -> status.isEqualTo(403);
          case OTHER_ORGANIZATION_OPERATOR -> {
            if (route.owner() != Ownership.NONE) {
              status.isEqualTo(404);
            } else {
              status.isBetween(200, 299);
            }
          }
          case OPERATOR -> status.isBetween(200, 299);
        }
      }
      case OPERATOR_OR_ALLOWED_END_USER -> {
        switch (caller) {
          case NONE, EXPIRED_OPERATOR, EXPIRED_SCOPED, TAMPERED, ADMIN_KEY -> status.isEqualTo(401);
          case SCOPED -> status.isEqualTo(403);
          case OTHER_WORKSPACE_SCOPED, OTHER_ORGANIZATION_OPERATOR -> status.isEqualTo(404);
          case OPERATOR -> status.isBetween(200, 299);
        }
      }
      case ANY -> {
        switch (caller) {
          case NONE, EXPIRED_OPERATOR, EXPIRED_SCOPED, TAMPERED, ADMIN_KEY -> status.isEqualTo(401);
          case OPERATOR, SCOPED -> status.isBetween(200, 299);
          case OTHER_ORGANIZATION_OPERATOR -> {
            if (route.owner() != Ownership.NONE) {
              status.isEqualTo(404);
            } else {
              status.isBetween(200, 299);
            }
          }
          case OTHER_WORKSPACE_SCOPED -> {
            if (route.owner() == Ownership.WORKSPACE) {
              status.isEqualTo(404);
            } else {
              status.isBetween(200, 299);
            }
          }
        }
      }
      case END_USER -> {
        switch (caller) {
          case NONE, EXPIRED_OPERATOR, EXPIRED_SCOPED, TAMPERED, ADMIN_KEY -> status.isEqualTo(401);
          case OPERATOR, OTHER_ORGANIZATION_OPERATOR -> status.isEqualTo(403);
          case OTHER_WORKSPACE_SCOPED -> {
            if (route.owner() == Ownership.WORKSPACE) {
              status.isEqualTo(404);
            } else {
              status.isBetween(200, 299);
            }
          }
          case SCOPED -> status.isBetween(200, 299);
        }
      }
    }
    if (response.status() >= 400) {
      assertThat(response.body())
          .as("error body of %s as %s", route.key(), caller)
          .startsWith("{\"detail\":");
    }
  }
}
