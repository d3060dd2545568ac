package io.tributary.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests against a server on a real port. */
public final class Http {

  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient shared = builder().build();

  private final String base;
  private final HttpClient client;

  public Http(int port) {
    this.base = "http://localhost:" + port;
    this.client = shared;
  }

  /**
   * A client whose connections leave from {@code localAddress}, to play another client address: on
   * Linux every address of 127.0.0.0/8 is the loopback interface, so 127.0.0.2 reaches a server on
   * 127.0.0.1.
   */
  public Http(int port, java.net.InetAddress localAddress) {
    this.base = "http://127.0.0.1:" + port;
    this.client = builder().localAddress(localAddress).build();
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1);
  }

  public String base() {
    return base;
  }

  public Response get(String path, String token) {
    return send("GET", path, token, null, Map.of());
  }

  public Response post(String path, String token, Object body) {
    return send("POST", path, token, body, Map.of());
  }

  public Response put(String path, String token, Object body) {
    return send("PUT", path, token, body, Map.of());
  }

  public Response patch(String path, String token, Object body) {
    return send("PATCH", path, token, body, Map.of());
  }

  public Response delete(String path, String token) {
    return send("DELETE", path, token, null, Map.of());
  }

  /** A POST naming the caller's organization in the header Airbyte's clients send it in. */
  public Response postForOrganization(
      String path, String token, Object organizationId, Object body) {
    return send("POST", path, token, body, Map.of("X-Organization-Id", organizationId.toString()));
  }

  /** The CORS preflight a browser on {@code origin} sends before an authorized JSON POST. */
  public Response preflight(String path, String origin) {
    return send(
        "OPTIONS",
        path,
        null,
        null,
        Map.of(
            "Origin",
            origin,
            "Access-Control-Request-Method",
            "POST",
            "Access-Control-Request-Headers",
            "authorization,content-type"));
  }

  public Response send(
      String method, String path, String token, Object body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      String text = body instanceof String s ? s : JSON.writeValueAsString(body);
      if (!headers.containsKey("Content-Type")) {
        request.header("Content-Type", "application/json");
      }
      request.method(method, HttpRequest.BodyPublishers.ofString(text));
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, String> responseHeaders = new LinkedHashMap<>();
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> responseHeaders.put(name.toLowerCase(), String.join(",", values)));
      return new Response(response.statusCode(), responseHeaders, response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public record Response(int status, Map<String, String> headers, String body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    /** How many items a list answer holds in its data. */
    public int dataSize() {
      return json().get("data").size();
    }

    /** Where the first validation error points, as a JSON array such as ["body","name"]. */
    public String errorLocation() {
      return json().get("detail").get(0).get("loc").toString();
    }

    /** The type of the first validation error, such as value_error.missing. */
    public String errorType() {
      return json().get("detail").get(0).get("type").asString();
    }

    public String header(String name) {
      return headers.get(name.toLowerCase());
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
