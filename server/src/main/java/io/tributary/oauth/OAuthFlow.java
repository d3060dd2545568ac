package io.tributary.oauth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connector's OAuth 2.0 flow as its spec declares it: Airbyte's {@code advanced_auth} block with
 * an {@code oauth_config_specification}. Nothing here is per provider: the consent and token URLs
 * are templates, and each part of the outcome says where it lands in the connector's configuration.
 *
 * @param predicateKey where the configuration says OAuth was chosen (e.g. {@code credentials,
 *     auth_type}), or empty when the connector has no other way to authenticate
 * @param predicateValue the value at {@code predicateKey} that means OAuth
 * @param input the {@code oauth_connector_input_specification}: consent URL, access-token URL,
 *     headers, parameters, scope, state length, key names
 * @param outputs where each value obtained from the provider lands in the configuration
 * @param responsePaths where each output is read in the provider's token response
 * @param serverInputs what the operator's OAuth app holds (client id, client secret, ...)
 * @param serverOutputs where each part of the operator's app lands in the configuration
 * @param userInputs configuration values the flow needs (e.g. a subdomain), by variable name
 */
public record OAuthFlow(
    List<String> predicateKey,
    JsonNode predicateValue,
    ObjectNode input,
    Map<String, List<String>> outputs,
    Map<String, List<String>> responsePaths,
    List<String> serverInputs,
    Map<String, List<String>> serverOutputs,
    Map<String, List<String>> userInputs) {

  /** The flow a connector spec declares, if it declares an OAuth 2.0 one. */
  public static Optional<OAuthFlow> of(JsonNode spec) {
    JsonNode auth = spec == null ? null : spec.get("advanced_auth");
    if (auth == null || !auth.isObject()) {
      return Optional.empty();
    }
    String type = auth.path("auth_flow_type").asString("oauth2.0");
    JsonNode config = auth.path("oauth_config_specification");
    JsonNode input = properties(config.path("oauth_connector_input_specification"));
    if (!type.startsWith("oauth2") || !(input instanceof ObjectNode inputObject)) {
      return Optional.empty();
    }
    if (!inputObject.path("consent_url").isString()
        || !inputObject.path("access_token_url").isString()) {
      // the legacy flows (per-provider code in Airbyte's platform) have no templates to follow
      return Optional.empty();
    }
    JsonNode outputSpec = properties(config.path("complete_oauth_output_specification"));
    Map<String, List<String>> outputs = new LinkedHashMap<>();
    Map<String, List<String>> responsePaths = new LinkedHashMap<>();
    outputSpec
        .properties()
        .forEach(
            field -> {
              outputs.put(
                  field.getKey(), path(field.getValue().get("path_in_connector_config"), field));
              responsePaths.put(
                  field.getKey(),
                  field.getValue().has("path_in_oauth_response")
                      ? path(field.getValue().get("path_in_oauth_response"), field)
                      : List.of(field.getKey()));
            });
    List<String> serverInputs =
        List.copyOf(
            properties(config.path("complete_oauth_server_input_specification")).propertyNames());
    Map<String, List<String>> serverOutputs = new LinkedHashMap<>();
    properties(config.path("complete_oauth_server_output_specification"))
        .properties()
        .forEach(
            field ->
                serverOutputs.put(
                    field.getKey(), path(field.getValue().get("path_in_connector_config"), field)));
    Map<String, List<String>> userInputs = new LinkedHashMap<>();
    properties(config.path("oauth_user_input_from_connector_config_specification"))
        .properties()
        .forEach(
            field ->
                userInputs.put(
                    field.getKey(), path(field.getValue().get("path_in_connector_config"), field)));
    List<String> predicateKey = new ArrayList<>();
    auth.path("predicate_key").forEach(p -> predicateKey.add(p.asString()));
    return Optional.of(
        new OAuthFlow(
            List.copyOf(predicateKey),
            auth.get("predicate_value"),
            inputObject,
            outputs,
            responsePaths,
            serverInputs.isEmpty() ? List.of("client_id", "client_secret") : serverInputs,
            serverOutputs,
            userInputs));
  }

  /**
   * The form an end user fills in, without the fields a consent fills: the tokens, the operator's
   * app, the OAuth choice itself. An object left with no field is removed too.
   */
  public ObjectNode withoutConsentFields(ObjectNode schema) {
    ObjectNode out = schema.deepCopy();
    List<List<String>> filled = new ArrayList<>(outputs.values());
    filled.addAll(serverOutputs.values());
    if (!predicateKey.isEmpty()) {
      filled.add(predicateKey);
    }
    filled.forEach(path -> removeField(out, path));
    return out;
  }

  /**
   * An edited configuration with the fields a consent filled taken from the stored one wherever the
   * edit leaves them out: the end user's form has none of them ({@link #withoutConsentFields}), so
   * editing a source from it keeps its tokens. An edit that chooses another way to authenticate
   * (another value at {@link #predicateKey}) keeps none.
   */
  public ObjectNode keepingConsentFields(ObjectNode edited, ObjectNode stored) {
    JsonNode chosen = at(edited, predicateKey);
    if (!predicateKey.isEmpty() && chosen != null && !chosen.equals(predicateValue)) {
      return edited;
    }
    ObjectNode out = edited.deepCopy();
    List<List<String>> filled = new ArrayList<>(outputs.values());
    if (!predicateKey.isEmpty()) {
      filled.add(predicateKey);
    }
    for (List<String> path : filled) {
      JsonNode value = at(stored, path);
      if (value != null && at(out, path) == null) {
        ObjectNode parent = out;
        for (String step : path.subList(0, path.size() - 1)) {
          parent = parent.get(step) instanceof ObjectNode child ? child : parent.putObject(step);
        }
        parent.set(path.getLast(), value.deepCopy());
      }
    }
    return out;
  }

  /**
   * The places a consent fills that a template's presets leave it no way to: inside an object the
   * template sets (a source's configuration takes a top-level field from the template or from the
   * end user, never part from each) without setting them, when the presets choose OAuth. Such a
   * template could never make a source.
   */
  public List<List<String>> unreachableByConsent(JsonNode presets) {
    JsonNode chosen = at(presets, predicateKey);
    if (!predicateKey.isEmpty() && (chosen == null || !chosen.equals(predicateValue))) {
      return List.of();
    }
    return outputs.values().stream()
        .filter(
            path ->
                path.size() > 1
                    && presets.get(path.getFirst()) != null
                    && at(presets, path) == null)
        .toList();
  }

  /** The value at {@code path}, or null. */
  private static JsonNode at(JsonNode config, List<String> path) {
    JsonNode node = path.isEmpty() ? null : config;
    for (String step : path) {
      node = node == null ? null : node.get(step);
    }
    return node == null || node.isNull() ? null : node;
  }

  /**
   * The schema with every place the consent fills marked {@code airbyte_secret}, so that tokens are
   * sealed even when a connector's spec forgets to mark them.
   */
  public ObjectNode withSecretOutputs(JsonNode schema) {
    ObjectNode out = (ObjectNode) schema.deepCopy();
    for (List<String> path : outputs.values()) {
      ObjectNode current = out;
      for (String step : path) {
        ObjectNode properties =
            current.get("properties") instanceof ObjectNode p ? p : current.putObject("properties");
        current =
            properties.get(step) instanceof ObjectNode child ? child : properties.putObject(step);
      }
      current.put("airbyte_secret", true);
    }
    return out;
  }

  private static void removeField(JsonNode schema, List<String> path) {
    if (!(schema.get("properties") instanceof ObjectNode properties)) {
      return;
    }
    String field = path.getFirst();
    JsonNode child = properties.get(field);
    if (child == null) {
      return;
    }
    if (path.size() > 1) {
      removeField(child, path.subList(1, path.size()));
      if (!(child.get("properties") instanceof ObjectNode rest) || !rest.isEmpty()) {
        return;
      }
    }
    properties.remove(field);
    if (schema.get("required") instanceof tools.jackson.databind.node.ArrayNode required) {
      for (int i = required.size() - 1; i >= 0; i--) {
        if (field.equals(required.get(i).asString())) {
          required.remove(i);
        }
      }
    }
  }

  /** A key of {@code oauth_connector_input_specification}, or null. */
  public String input(String key) {
    JsonNode value = input.get(key);
    return value == null || value.isNull() ? null : value.isString() ? value.asString() : null;
  }

  /** The parameter name for one of the flow's values, e.g. {@code client_id} unless renamed. */
  String keyName(String value) {
    String renamed = input(value + "_key");
    return renamed == null ? DEFAULT_KEYS.getOrDefault(value, value) : renamed;
  }

  private static final Map<String, String> DEFAULT_KEYS =
      Map.of(
          "client_id", "client_id",
          "client_secret", "client_secret",
          "redirect_uri", "redirect_uri",
          "scope", "scope",
          "state", "state",
          "auth_code", "code",
          "token_expiry", "expires_in");

  /** Airbyte allows the specs with or without a JSON schema {@code properties} wrapper. */
  private static JsonNode properties(JsonNode spec) {
    if (spec.has("properties") && spec.get("properties").isObject()) {
      return spec.get("properties");
    }
    return spec.isObject() && !spec.has("type") ? spec : spec.path("properties");
  }

  private static List<String> path(JsonNode path, Map.Entry<String, JsonNode> field) {
    if (path == null || !path.isArray() || path.isEmpty()) {
      return List.of(field.getKey());
    }
    List<String> steps = new ArrayList<>();
    path.forEach(step -> steps.add(step.asString()));
    return List.copyOf(steps);
  }
}
