package io.tributary.oauth;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.egress.EgressRefusedException;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Trades an authorization code for tokens at the provider, as the flow's {@code access_token_url},
 * headers and parameters say, and picks out what the flow keeps. The provider is reached under the
 * instance's egress policy, like any address a spec or an operator names.
 */
@Component
class TokenExchange {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_RESPONSE = 1 << 20;

  private final CloseableHttpClient http;
  private final JsonMapper json;
  private final EgressPolicy egress;

  TokenExchange(JsonMapper json, EgressPolicy egress) {
    this.json = json;
    this.egress = egress;
    this.http = egress.httpClient(TIMEOUT, 16);
  }

  @PreDestroy
  void close() throws IOException {
    http.close();
  }

  /** The provider said no: its OAuth error code and, when it gave one, its description. */
  static final class ProviderRefusal extends RuntimeException {
    final String error;

    ProviderRefusal(String error, String description) {
      super(description == null || description.isBlank() ? error : error + ": " + description);
      this.error = error;
    }
  }

  /**
   * @param variables the flow's template variables, the code included
   * @return the values the flow keeps, by output name (e.g. {@code access_token}, {@code
   *     refresh_token}, {@code token_expiry_date})
   */
  Map<String, JsonNode> exchange(OAuthFlow flow, Map<String, String> variables, Instant now) {
    URI url = URI.create(OAuthTemplate.render(flow.input("access_token_url"), variables));
    egress.checkUrl(url);
    Map<String, String> headers = new LinkedHashMap<>();
    flow.input()
        .path("access_token_headers")
        .properties()
        .forEach(
            h ->
                headers.put(
                    OAuthTemplate.render(h.getKey(), variables),
                    OAuthTemplate.render(h.getValue().asString(), variables)));
    boolean form =
        headers.entrySet().stream()
            .anyMatch(
                h ->
                    h.getKey().equalsIgnoreCase("content-type")
                        && h.getValue()
                            .toLowerCase(Locale.ROOT)
                            .startsWith("application/x-www-form-urlencoded"));
    JsonNode params = flow.input().get("access_token_params");
    Map<String, String> body = new LinkedHashMap<>();
    if (params != null && params.isObject()) {
      params
          .properties()
          .forEach(
              p ->
                  body.put(
                      OAuthTemplate.render(p.getKey(), variables),
                      OAuthTemplate.render(p.getValue().asString(), variables)));
    } else {
      // Airbyte's default: the code and the client's credentials, form-encoded
      form = true;
      body.put("grant_type", "authorization_code");
      body.put(flow.keyName("auth_code"), variables.get("auth_code_value"));
      body.put(flow.keyName("client_id"), variables.get("client_id_value"));
      body.put(flow.keyName("client_secret"), variables.get("client_secret_value"));
      body.put(flow.keyName("redirect_uri"), variables.get("redirect_uri_value"));
    }
    HttpPost request = new HttpPost(url);
    headers.forEach(request::setHeader);
    request.setHeader("Accept", "application/json");
    // the spec's own Content-Type header stands; the body is UTF-8 whatever it names
    ContentType type =
        headers.entrySet().stream()
            .filter(h -> h.getKey().equalsIgnoreCase("content-type"))
            .map(h -> ContentType.parse(h.getValue()))
            .findFirst()
            .orElse(form ? ContentType.APPLICATION_FORM_URLENCODED : ContentType.APPLICATION_JSON);
    request.setEntity(
        new StringEntity(
            form ? formEncode(body) : json.writeValueAsString(body),
            type.getCharset() == null ? type.withCharset(StandardCharsets.UTF_8) : type));
    int status;
    String responseBody;
    try (ClassicHttpResponse response = http.executeOpen(null, request, null)) {
      status = response.getCode();
      // a token response is a few hundred bytes: more than a mebibyte is not read into memory
      try (InputStream in =
          response.getEntity() == null
              ? InputStream.nullInputStream()
              : response.getEntity().getContent()) {
        byte[] bytes = in.readNBytes(MAX_RESPONSE + 1);
        if (bytes.length > MAX_RESPONSE) {
          throw new ProviderRefusal("invalid_response", "the token response is too large");
        }
        responseBody = new String(bytes, StandardCharsets.UTF_8);
      }
    } catch (IOException | UncheckedIOException e) {
      var refused = EgressRefusedException.in(e);
      if (refused.isPresent()) {
        throw new ConnectorException(FailureType.CONFIG_ERROR, refused.get().getMessage(), e);
      }
      throw ConnectorException.transientError(
          "The provider's token endpoint (" + url.getHost() + ") could not be reached", e);
    }
    JsonNode answer = parse(responseBody);
    if (status / 100 != 2 || answer.has("error")) {
      throw new ProviderRefusal(
          answer.path("error").asString("http_" + status),
          answer.path("error_description").asString(null));
    }
    return extract(flow, answer, now);
  }

  private Map<String, JsonNode> extract(OAuthFlow flow, JsonNode answer, Instant now) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    JsonNode extractOutput = flow.input().get("extract_output");
    if (extractOutput != null && extractOutput.isArray() && !extractOutput.isEmpty()) {
      for (JsonNode path : extractOutput) {
        List<String> steps = List.of(path.asString().split("\\."));
        JsonNode value = at(answer, steps);
        if (value == null) {
          throw new ProviderRefusal(
              "invalid_response", "the provider's token response has no " + path.asString());
        }
        values.put(steps.getLast(), value);
      }
    } else {
      flow.responsePaths()
          .forEach(
              (name, path) -> {
                JsonNode value = at(answer, path);
                if (value != null) {
                  values.put(name, value);
                }
              });
    }
    JsonNode expiresIn = values.get(flow.keyName("token_expiry"));
    if (expiresIn != null && expiresIn.canConvertToLong()) {
      values.put(
          "token_expiry_date",
          json.getNodeFactory().stringNode(now.plusSeconds(expiresIn.asLong()).toString()));
    }
    return values;
  }

  private JsonNode parse(String body) {
    try {
      JsonNode node = json.readTree(body == null || body.isBlank() ? "{}" : body);
      return node instanceof ObjectNode ? node : json.createObjectNode();
    } catch (JacksonException e) {
      // some providers answer form-encoded; Airbyte's flows expect JSON, so this is only read for
      // errors
      return json.createObjectNode();
    }
  }

  private static JsonNode at(JsonNode node, List<String> path) {
    JsonNode current = node;
    for (String step : path) {
      current = current == null ? null : current.get(step);
    }
    return current == null || current.isNull() ? null : current;
  }

  private static String formEncode(Map<String, String> values) {
    return values.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(
                        e.getValue() == null ? "" : e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
