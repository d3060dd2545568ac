package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import io.tributary.testing.RawHttp;
import io.tributary.testing.SecondServer;
import io.tributary.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every route of the served OpenAPI document × hostile path ids, query values and bodies × callers
 * with and without valid tokens, sent as raw HTTP. No answer may be a 5xx or anything but a JSON
 * error with {@code detail} and {@code message}, no write may be accepted, and no row may change:
 * all tables are fingerprinted before and after the battery. The server runs on a database of its
 * own, so nothing but the battery can change a row meanwhile.
 */
class BadInputBatteryTest {

  private static final String FAKER = "dfd88b22-b603-4c3d-aad7-3701784586b1";
  private static final String LOCAL_JSON = "a625d593-bba5-4a1c-a53d-2d246268a816";

  /**
   * Counts requests rather than holding anything a request asks to change (§12: every request
   * counts).
   */
  private static final Set<String> COUNTERS = Set.of("rate_limit_windows");

  /** Path values no route may accept, as they are written in the request target. */
  private static final List<String> BAD_IDS =
      List.of(
          "%00",
          "..%2F..%2F", "'%20or%201=1--", "9".repeat(400), "%C0%AF", "%ED%A0%80", "%zz", "%2e%2e");

  /** Query values that are not text: every route must refuse them. */
  private static final List<String> MALFORMED_QUERY = List.of("%00", "%zz", "%C0%AF", "%ED%A0%80");

  /**
   * Query values that are text but hostile: a read may answer them, a write may not be sent them
   * here.
   */
  private static final List<String> HOSTILE_QUERY = List.of("'%20or%201=1--", "9".repeat(400));

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private static String databaseUrl;
  private static SecondServer server;

  @BeforeAll
  static void start() {
    databaseUrl = TestDatabase.create();
    server = new SecondServer(ApiTest.properties(databaseUrl));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  record Seed(
      Fixtures.Tenant tenant,
      String scoped,
      UUID workspaceId,
      UUID sourceTemplateId,
      UUID connectionTemplateId,
      UUID sourceId,
      UUID connectionId,
      UUID destinationId) {}

  record Attempt(
      String operation,
      String category,
      String method,
      String target,
      byte[] body,
      String caller,
      String token) {
    String describe() {
      return method
          + " "
          + (target.length() > 160 ? target.substring(0, 160) + "..." : target)
          + " ["
          + category
          + "] as "
          + caller;
    }
  }

  @Test
  void everyRouteRefusesBadInputInJsonAndChangesNothing() throws Exception {
    Http http = new Http(server.port());
    Seed seed = seed(http, new Fixtures(http));
    JsonNode openapi = http.get("/api/v1/openapi.json", null).json();

    Map<String, String> callers = new LinkedHashMap<>();
    callers.put("nobody", null);
    callers.put("operator", seed.tenant().operatorToken());
    callers.put("scoped", seed.scoped());
    callers.put("admin", Fixtures.ADMIN_KEY);

    List<Attempt> attempts = new ArrayList<>();
    int operations = 0;
    for (var path : openapi.get("paths").properties()) {
      for (var operation : path.getValue().properties()) {
        operations++;
        String method = operation.getKey().toUpperCase();
        for (var request :
            requestsFor(method, path.getKey(), operation.getValue(), openapi, seed)) {
          callers.forEach(
              (caller, token) ->
                  attempts.add(
                      new Attempt(
                          method + " " + path.getKey(),
                          request.category(),
                          method,
                          request.target(),
                          request.body(),
                          caller,
                          token)));
        }
      }
    }
    assertThat(operations).as("operations in the OpenAPI document").isGreaterThan(50);

    Map<String, String> before = fingerprint();
    long started = System.nanoTime();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
    Set<String> bodiesRead = ConcurrentHashMap.newKeySet();
    RawHttp raw = new RawHttp(server.port());
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> sent = new ArrayList<>();
      for (Attempt attempt : attempts) {
        sent.add(
            pool.submit(
                () -> {
                  int status = check(raw, attempt, failures);
                  byStatus.computeIfAbsent(status, key -> new AtomicInteger()).incrementAndGet();
                  // a 422 means the body got past authentication to the parser; a 413 is decided
                  // before either
                  if (attempt.category().equals("body") && status == 422) {
                    bodiesRead.add(attempt.operation());
                  }
                }));
      }
      for (Future<?> future : sent) {
        future.get();
      }
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    Map<String, String> after = fingerprint();

    Map<String, Integer> byCategory = new TreeMap<>();
    attempts.forEach(attempt -> byCategory.merge(attempt.category(), 1, Integer::sum));
    System.out.printf(
        "Bad-input battery: %d requests (%d operations × %d callers) in %d ms; by kind %s; answers %s%n",
        attempts.size(),
        operations,
        callers.size(),
        elapsedMillis,
        byCategory,
        new TreeMap<>(byStatus));

    Set<String> withBodies = new java.util.TreeSet<>();
    attempts.stream()
        .filter(attempt -> attempt.category().equals("body"))
        .forEach(attempt -> withBodies.add(attempt.operation()));
    assertThat(bodiesRead)
        .as(
            "routes whose bad bodies some caller got read and refused (else the battery tests nothing)")
        .containsExactlyInAnyOrderElementsOf(withBodies);
    assertThat(failures)
        .as("answers that are a 5xx, not JSON, or a write accepted (of %d)", attempts.size())
        .isEmpty();
    Map<String, String> changed = new TreeMap<>();
    before.forEach(
        (table, print) -> {
          if (!print.equals(after.get(table))) {
            changed.put(table, print + " → " + after.get(table));
          }
        });
    assertThat(after.keySet()).as("tables").isEqualTo(before.keySet());
    assertThat(changed).as("tables whose rows changed during the battery").isEmpty();
  }

  /** What Tomcat refuses before the application sees it is answered in JSON too. */
  @Test
  void requestsTheContainerRefusesAreAnsweredInJson() {
    RawHttp raw = new RawHttp(server.port());
    String host = "\r\nHost: 127.0.0.1\r\nConnection: close";
    Map<String, Integer> lines = new LinkedHashMap<>();
    lines.put("GET /api/v1/workspaces/%00 HTTP/1.1" + host, 400);
    lines.put("GET /api/v1/workspaces/..%2F..%2F HTTP/1.1" + host, 400);
    lines.put("GET /api/v1/workspaces/%C0%AF HTTP/1.1" + host, 400);
    lines.put("GET /api/v1/workspaces/%zz HTTP/1.1" + host, 400);
    lines.put("GET /api/v1/workspaces/%5C HTTP/1.1" + host, 400);
    lines.put("GET /api/v1/workspaces/' or 1=1-- HTTP/1.1" + host, 400);
    lines.put("GET /api/v1/work{spaces HTTP/1.1" + host, 400);
    lines.put("GET /api/v1/workspaces#fragment HTTP/1.1" + host, 400);
    lines.put("GET api/v1/workspaces HTTP/1.1" + host, 400);
    lines.put("GET /api/v1/workspaces/" + "9".repeat(20_000) + " HTTP/1.1" + host, 400);
    lines.put("GET /api/v1/health HTTP/1.1\r\nConnection: close", 400);
    lines.put("GET /api/v1/health HTTP/1.1" + host + "\r\nHost: second", 400);
    lines.put("GET /api/v1/health HTTP/1.1" + host + "\r\nBad Header", 400);
    lines.put("GET /api/v1/health HTTP/1.1" + host + "\r\nX-Long: " + "a".repeat(20_000), 400);
    lines.put(
        "POST /api/v1/account/applications/token HTTP/1.1" + host + "\r\nContent-Length: abc", 400);
    lines.put("GET /api/v1/health HTTP/1.1" + host + "\r\nExpect: 999-nothing", 417);
    // The right answers to a protocol the server does not speak are these two 5xx; they still say
    // so in JSON.
    lines.put("GET /api/v1/health HTTP/9.9" + host, 505);
    lines.put(
        "POST /api/v1/account/applications/token HTTP/1.1" + host + "\r\nTransfer-Encoding: gzip",
        501);
    lines.put("G@T /api/v1/health HTTP/1.1" + host, 400);

    List<String> failures = new ArrayList<>();
    lines.forEach(
        (head, status) -> {
          RawHttp.Response response = raw.send(head.getBytes(StandardCharsets.ISO_8859_1), null);
          String label = head.length() > 90 ? head.substring(0, 90) + "..." : head;
          if (response.status() != status) {
            failures.add(label + " → " + response + " (expected " + status + ")");
          } else if (status > 0
              && !String.valueOf(response.header("Content-Type")).startsWith("application/json")) {
            failures.add(label + " → not JSON: " + response);
          } else {
            JsonNode body = parse(response.body());
            if (body == null
                || !body.path("detail").isString()
                || !body.path("message").isString()) {
              failures.add(label + " → no detail/message: " + response);
            }
          }
        });
    // A raw NUL byte in the request line.
    byte[] nul =
        ("GET /api/v1/workspaces/\0 HTTP/1.1" + host).getBytes(StandardCharsets.ISO_8859_1);
    RawHttp.Response response = raw.send(nul, null);
    if (response.status() != 400 || parse(response.body()) == null) {
      failures.add("raw NUL in the path → " + response);
    }
    assertThat(failures).isEmpty();
  }

  /** Sends {@code attempt}, records what is wrong with the answer, returns its status. */
  private static int check(RawHttp raw, Attempt attempt, ConcurrentLinkedQueue<String> failures) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (attempt.token() != null) {
      headers.put("Authorization", "Bearer " + attempt.token());
    }
    if (attempt.body() != null) {
      headers.put("Content-Type", "application/json");
    }
    RawHttp.Response response;
    try {
      response = raw.send(attempt.method(), attempt.target(), headers, attempt.body());
    } catch (RuntimeException e) {
      failures.add(attempt.describe() + " → no answer: " + e);
      return -1;
    }
    int status = response.status();
    if (status < 200 || status >= 500) {
      failures.add(attempt.describe() + " → " + response);
    } else if (status < 400) {
      if (WRITES.contains(attempt.method())) {
        failures.add(attempt.describe() + " → accepted: " + response);
      }
    } else if (!String.valueOf(response.header("Content-Type")).startsWith("application/json")) {
      failures.add(attempt.describe() + " → not JSON: " + response);
    } else {
      JsonNode body = parse(response.body());
      if (body == null || !body.has("detail") || !body.path("message").isString()) {
        failures.add(attempt.describe() + " → no detail and message: " + response);
      }
    }
    return status;
  }

  /** The requests one operation gets: each one bad in exactly one way, the rest of it valid. */
  private static List<Request> requestsFor(
      String method, String template, JsonNode operation, JsonNode openapi, Seed seed) {
    List<Request> requests = new ArrayList<>();
    List<String> variables = new ArrayList<>();
    Matcher matcher = Pattern.compile("\\{([^}]+)}").matcher(template);
    while (matcher.find()) {
      variables.add(matcher.group(1));
    }
    String validPath = template;
    for (String variable : variables) {
      validPath = validPath.replace("{" + variable + "}", valid(template, variable, seed));
    }
    JsonNode sample =
        operation.has("requestBody") ? sample(method, template, operation, openapi, seed) : null;
    byte[] sampleBytes = sample == null ? null : Http.JSON.writeValueAsBytes(sample);

    for (String variable : variables) {
      for (String bad : BAD_IDS) {
        String target = template;
        for (String other : variables) {
          target =
              target.replace(
                  "{" + other + "}", other.equals(variable) ? bad : valid(template, other, seed));
        }
        requests.add(new Request("path id", target, sampleBytes));
      }
    }

    List<String> queryNames = new ArrayList<>(List.of("x"));
    for (JsonNode parameter : operation.path("parameters")) {
      if ("query".equals(parameter.path("in").asString())) {
        queryNames.add(parameter.path("name").asString());
      }
    }
    for (String name : queryNames) {
      // every kind of malformed value on a parameter of no meaning; the two commonest on the
      // declared ones
      for (String value : name.equals("x") ? MALFORMED_QUERY : MALFORMED_QUERY.subList(0, 2)) {
        requests.add(new Request("query", validPath + "?" + name + "=" + value, sampleBytes));
      }
      if (!WRITES.contains(method)) {
        for (String value : HOSTILE_QUERY) {
          requests.add(new Request("query", validPath + "?" + name + "=" + value, null));
        }
      }
    }
    requests.add(new Request("query", validPath + "?%00=1", sampleBytes));

    if (sample != null) {
      for (byte[] body : badBodies(sample)) {
        requests.add(new Request("body", validPath, body));
      }
    }
    return requests;
  }

  record Request(String category, String target, byte[] body) {}

  /**
   * Malformed JSON, NUL and unpaired surrogates in each string, overlong UTF-8, deep nesting, 2
   * MiB.
   */
  private static List<byte[]> badBodies(JsonNode sample) {
    List<byte[]> bodies = new ArrayList<>();
    String good = Http.JSON.writeValueAsString(sample);
    bodies.add(good.substring(0, good.length() / 2).getBytes(StandardCharsets.UTF_8));
    bodies.add("not json".getBytes(StandardCharsets.UTF_8));
    bodies.add((good + "}").getBytes(StandardCharsets.UTF_8));
    bodies.add(new byte[] {'{', '"', 'a', '"', ':', '1', ',', '}'});

    List<List<Object>> strings = new ArrayList<>();
    stringLeaves(sample, new ArrayList<>(), strings);
    for (List<Object> at : strings) {
      bodies.add(withString(sample, at, "a\u0000b"));
    }
    JsonNode everyString = sample.deepCopy();
    for (List<Object> at : strings) {
      everyString = Http.JSON.readTree(withString(everyString, at, "\u0000"));
    }
    bodies.add(Http.JSON.writeValueAsBytes(everyString));
    // Jackson writes a lone surrogate as the raw char; the escape is what a client sends.
    for (String surrogate : List.of("\\ud800", "\\udc00", "a\\ud800\\ud800b")) {
      for (List<Object> at :
          strings.isEmpty()
              ? List.<List<Object>>of()
              : List.of(strings.getFirst(), strings.getLast())) {
        bodies.add(
            new String(withString(sample, at, "SURROGATE"), StandardCharsets.UTF_8)
                .replace("\"SURROGATE\"", "\"" + surrogate + "\"")
                .getBytes(StandardCharsets.UTF_8));
      }
      bodies.add(objectWith(sample, "\"extra\":\"" + surrogate + "\""));
    }
    bodies.add(objectWith(sample, "\"extra\\u0000\":1"));
    bodies.add(
        objectWith(
            sample,
            "\"overlong\":\"a"
                + new String(new byte[] {(byte) 0xC0, (byte) 0xAF}, StandardCharsets.ISO_8859_1)
                + "b\""));
    bodies.add(("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8));
    bodies.add(objectWith(sample, "\"deep\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)));
    bodies.add(objectWith(sample, "\"deep\":" + "[".repeat(3000) + "]".repeat(3000)));
    bodies.add(twoMebibytes(sample));
    return bodies;
  }

  /**
   * {@code sample} (an object) with {@code member} added as raw JSON text; an array sample gets it
   * as an element.
   */
  private static byte[] objectWith(JsonNode sample, String member) {
    String good = Http.JSON.writeValueAsString(sample);
    String text;
    if (sample.isObject()) {
      text = sample.isEmpty() ? "{" + member + "}" : "{" + member + "," + good.substring(1);
    } else {
      text = "[{" + member + "}" + (sample.isEmpty() ? "]" : "," + good.substring(1));
    }
    // the samples are ASCII; Latin-1 keeps the raw bytes of the overlong member as they are
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Exactly 2 MiB: the sample with one long string added. */
  private static byte[] twoMebibytes(JsonNode sample) {
    byte[] start = objectWith(sample, "\"padding\":\"");
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 * 1024 * 1024);
    // objectWith put the member first: split after its opening quote
    String text = new String(start, StandardCharsets.ISO_8859_1);
    int cut = text.indexOf("\"padding\":\"") + "\"padding\":\"".length();
    byte[] head = text.substring(0, cut).getBytes(StandardCharsets.ISO_8859_1);
    byte[] tail = ("\"" + text.substring(cut)).getBytes(StandardCharsets.ISO_8859_1);
    out.writeBytes(head);
    out.writeBytes(
        "x"
            .repeat(2 * 1024 * 1024 - head.length - tail.length)
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(tail);
    return out.toByteArray();
  }

  private static void stringLeaves(JsonNode node, List<Object> at, List<List<Object>> out) {
    if (node.isString()) {
      out.add(List.copyOf(at));
    } else if (node.isObject()) {
      for (var property : node.properties()) {
        at.add(property.getKey());
        stringLeaves(property.getValue(), at, out);
        at.removeLast();
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        at.add(i);
        stringLeaves(node.get(i), at, out);
        at.removeLast();
      }
    }
  }

  private static byte[] withString(JsonNode sample, List<Object> at, String value) {
    JsonNode copy = sample.deepCopy();
    JsonNode parent = copy;
    for (int i = 0; i < at.size() - 1; i++) {
      parent =
          at.get(i) instanceof Integer index ? parent.get(index) : parent.get((String) at.get(i));
    }
    Object last = at.getLast();
    if (parent instanceof ObjectNode object) {
      object.put((String) last, value);
    } else if (parent instanceof ArrayNode array) {
      array.set((Integer) last, JsonNodeFactory.instance.stringNode(value));
    }
    return Http.JSON.writeValueAsBytes(copy);
  }

  /**
   * A body the route would accept: hand-written where the document's schema is ambiguous, else
   * built from it.
   */
  private static JsonNode sample(
      String method, String template, JsonNode operation, JsonNode openapi, Seed seed) {
    String ws = seed.workspaceId().toString();
    String st = seed.sourceTemplateId().toString();
    Object body =
        switch (template.replaceFirst("^/api/v1", "").replaceFirst("^/v1", "")) {
          case "/account/applications/token", "/applications/token" ->
              Map.of(
                  "client_id",
                  seed.tenant().clientId(),
                  "client_secret",
                  seed.tenant().clientSecret());
          case "/account/applications/scoped-token", "/embedded/scoped-token" ->
              Map.of("workspace_name", "battery");
          case "/account/applications/widget-token",
              "/embedded/widget-token",
              "/embedded/widget_token" ->
              Map.of("workspace_name", "battery", "allowed_origin", "https://app.example");
          case "/admin/connectors" ->
              Map.of("type", "source", "name", "battery", "command", List.of("true"));
          case "/admin/organizations", "/admin/organizations/{organizationId}/applications" ->
              Map.of("name", "battery");
          case "/embedded/sources", "/integrations/sources", "/embedded/sources/check" ->
              Map.of(
                  "workspace_id",
                  ws,
                  "source_template_id",
                  st,
                  "name",
                  "battery",
                  "source_config",
                  Map.of("count", 5));
          case "/embedded/sources/{sourceId}", "/integrations/sources/{sourceId}" ->
              Map.of("name", "renamed", "source_config", Map.of("count", 6));
          case "/embedded/templates/sources", "/integrations/templates/sources" ->
              Map.of(
                  "actor_definition_id",
                  FAKER,
                  "name",
                  "battery",
                  "partial_default_config",
                  Map.of("count", 10),
                  "tags",
                  List.of("battery"));
          case "/integrations/templates/sources/{templateId}" ->
              Map.of("name", "renamed", "tags", List.of("battery"));
          case "/integrations/templates/connections" ->
              Map.of(
                  "destination_name",
                  "lake",
                  "destination_definition_id",
                  LOCAL_JSON,
                  "destination_config",
                  Map.of("destination_path", "/local/battery"),
                  "tags",
                  List.of("battery"),
                  "sync_on_create",
                  false);
          case "/integrations/templates/connections/{templateId}" ->
              Map.of(
                  "destination_name",
                  "renamed",
                  "cron_expression",
                  "0 0 12 * * ?",
                  "cron_time_zone",
                  "UTC");
          case "/integrations/templates/connections/cron/describe" ->
              Map.of("cron_expression", "0 0 12 * * ?", "cron_time_zone", "UTC");
          case "/integrations/sources/{sourceId}/catalog/query" ->
              Map.of("jmes_query", "streams[*].name");
          case "/integrations/sources/{sourceId}/streams" ->
              Map.of(
                  "stream_name",
                  "users",
                  "sync_mode",
                  "full_refresh",
                  "destination_sync_mode",
                  "overwrite");
          case "/integrations/sources/{sourceId}/streams/{streamName}" ->
              List.of(Map.of("op", "replace", "path", "/destination_sync_mode", "value", "append"));
          case "/embedded/widget-theme" ->
              Map.of(
                  "name",
                  "Acme",
                  "primary_color",
                  "#0b7285",
                  "logo_url",
                  "https://app.example/logo.png");
          case "/connections/{connectionId}" ->
              Map.of("status", "inactive", "cron_expression", "0 0 12 * * ?");
          case "/connections/{connectionId}/refresh" -> Map.of("streams", List.of("users"));
          case "/workspaces/{workspaceId}" -> Map.of("name", "renamed", "status", "active");
          default -> null;
        };
    if (body != null) {
      return Http.JSON.valueToTree(body);
    }
    JsonNode schema =
        operation.path("requestBody").path("content").path("application/json").path("schema");
    return fromSchema(schema, openapi, 0);
  }

  /**
   * A value of {@code schema}, with the API's snake_case names (the document lists the records'
   * Java names).
   */
  private static JsonNode fromSchema(JsonNode schema, JsonNode openapi, int depth) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asString().replace("#/components/schemas/", "");
      return depth > 4
          ? nodes.objectNode()
          : fromSchema(openapi.path("components").path("schemas").path(name), openapi, depth + 1);
    }
    if (schema.has("enum")) {
      return schema.get("enum").get(0);
    }
    return switch (schema.path("type").asString("object")) {
      case "string" ->
          nodes.stringNode(
              "uuid".equals(schema.path("format").asString())
                  ? UUID.randomUUID().toString()
                  : "battery");
      case "integer", "number" -> nodes.numberNode(1);
      case "boolean" -> nodes.booleanNode(false);
      case "array" -> nodes.arrayNode().add(fromSchema(schema.path("items"), openapi, depth + 1));
      default -> {
        ObjectNode object = nodes.objectNode();
        for (var property : schema.path("properties").properties()) {
          object.set(
              Naming.snakeCase(property.getKey()),
              fromSchema(property.getValue(), openapi, depth + 1));
        }
        if (object.isEmpty()) {
          object.put("name", "battery");
        }
        yield object;
      }
    };
  }

  /**
   * A real value for a path variable, so that the one bad part of a request is the one under test.
   */
  private static String valid(String template, String variable, Seed seed) {
    return switch (variable) {
      case "workspaceId" -> seed.workspaceId().toString();
      case "organizationId" -> seed.tenant().organizationId().toString();
      case "applicationId" -> seed.tenant().applicationId().toString();
      case "connectionId" -> seed.connectionId().toString();
      case "destinationId" -> seed.destinationId().toString();
      case "sourceId" -> seed.sourceId().toString();
      case "streamName" -> "users";
      case "tagName", "name", "tag" -> "battery";
      case "templateId" ->
          (template.contains("/templates/connections/")
                  ? seed.connectionTemplateId()
                  : seed.sourceTemplateId())
              .toString();
      case "definitionId" -> template.contains("/destinations/") ? LOCAL_JSON : FAKER;
      default -> UUID.randomUUID().toString();
    };
  }

  /**
   * A tenant with a workspace, a tagged source template and connection template, and a source with
   * its connection.
   */
  private static Seed seed(Http http, Fixtures fixtures) {
    Fixtures.Tenant tenant = fixtures.tenant();
    String scoped = fixtures.scopedToken(tenant, "battery");
    UUID workspaceId = fixtures.workspaceId(scoped);
    String sourceTemplate =
        fixtures.sourceTemplate(
            tenant, FAKER, Map.of("seed", 5), Map.of("tags", List.of("battery")));
    var connectionTemplate =
        fixtures.lakeTemplate(tenant, "lake", "/local/battery", Map.of("tags", List.of("battery")));
    var source = fixtures.embeddedSource(scoped, sourceTemplate, Map.of("count", 5));
    UUID connectionId = UUID.fromString(source.json().get("connection_ids").get(0).asString());
    var connection = http.get("/api/v1/connections/" + connectionId, tenant.operatorToken());
    assertThat(connection.status()).as(connection.toString()).isEqualTo(200);
    return new Seed(
        tenant,
        scoped,
        workspaceId,
        UUID.fromString(sourceTemplate),
        UUID.fromString(connectionTemplate.json().get("id").asString()),
        UUID.fromString(source.json().get("id").asString()),
        connectionId,
        UUID.fromString(connection.json().get("destination_id").asString()));
  }

  /** Per table (but the counters): its row count and an md5 over its rows in a stable order. */
  private static Map<String, String> fingerprint() throws Exception {
    Map<String, String> prints = new TreeMap<>();
    try (Connection connection = DriverManager.getConnection(databaseUrl);
        Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "select table_name from information_schema.tables "
                  + "where table_schema = current_schema() and table_type = 'BASE TABLE'")) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      for (String table : tables) {
        if (COUNTERS.contains(table)) {
          continue;
        }
        try (ResultSet rows =
            statement.executeQuery(
                "select count(*) || ':' || coalesce(md5(string_agg(t::text, "
                    + "E'\\n' order by t::text)), '') from \""
                    + table.replace("\"", "\"\"")
                    + "\" t")) {
          rows.next();
          prints.put(table, rows.getString(1));
        }
      }
    }
    return prints;
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = Http.JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
