package io.tributary.secret;

import io.tributary.common.ValidationException;
import io.tributary.common.ValidationException.Violation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Separates the secrets of a connector configuration (fields its spec marks {@code airbyte_secret})
 * from the rest: secrets are encrypted with the master key, the rest stays readable with the
 * secrets masked. A masked value sent back on update keeps the stored secret.
 */
@Component
public class ConfigSecrets {

  public static final String MASK = "**********";

  private final SecretCipher cipher;
  private final JsonMapper json;

  ConfigSecrets(SecretCipher cipher, JsonMapper json) {
    this.cipher = cipher;
    this.json = json;
  }

  /**
   * @param previous the stored configuration a masked value refers back to, or null
   * @param context binds the ciphertext to its row, e.g. {@code source-template:<id>}
   * @param field the input's field holding the configuration, e.g. {@code "source_config"}, for
   *     errors
   */
  public SealedConfig seal(
      JsonNode spec,
      ObjectNode config,
      SealedConfig previous,
      String context,
      String previousContext,
      String field) {
    ObjectNode masked = config.deepCopy();
    Map<String, JsonNode> stored = previous == null ? Map.of() : secrets(previous, previousContext);
    Map<String, JsonNode> secrets = new LinkedHashMap<>();
    for (JsonPointer pointer : secretPaths(spec, config)) {
      JsonNode value = config.at(pointer);
      String key = pointer.toString();
      if (value.isString() && MASK.equals(value.asString())) {
        if (!stored.containsKey(key)) {
          List<Object> at = new ArrayList<>(List.of(field));
          at.addAll(segments(pointer));
          throw ValidationException.of(
              List.of(
                  new Violation(
                      at,
                      "send the secret itself: '"
                          + MASK
                          + "' only keeps a secret that is already stored",
                      "value_error.secret")));
        }
        secrets.put(key, stored.get(key));
      } else {
        secrets.put(key, value);
      }
      set(masked, pointer, json.getNodeFactory().stringNode(MASK));
    }
    byte[] sealed =
        secrets.isEmpty()
            ? null
            : cipher.encrypt(
                json.writeValueAsString(secrets).getBytes(StandardCharsets.UTF_8), context);
    return new SealedConfig(masked, sealed);
  }

  /** The configuration with its secrets, for a connector to use. Never for a response or a log. */
  public ObjectNode open(SealedConfig sealed, String context) {
    ObjectNode config = sealed.masked().deepCopy();
    secrets(sealed, context)
        .forEach((pointer, value) -> set(config, JsonPointer.compile(pointer), value));
    return config;
  }

  private Map<String, JsonNode> secrets(SealedConfig sealed, String context) {
    if (sealed.secrets() == null) {
      return Map.of();
    }
    ObjectNode node =
        (ObjectNode)
            json.readTree(
                new String(cipher.decrypt(sealed.secrets(), context), StandardCharsets.UTF_8));
    Map<String, JsonNode> secrets = new LinkedHashMap<>();
    node.properties().forEach(entry -> secrets.put(entry.getKey(), entry.getValue()));
    return secrets;
  }

  /** Where the configuration holds secrets, per the spec (every oneOf option is consulted). */
  public static List<JsonPointer> secretPaths(JsonNode spec, JsonNode config) {
    List<JsonPointer> paths = new ArrayList<>();
    walk(List.of(spec), config, JsonPointer.empty(), paths);
    return paths;
  }

  private static void walk(
      List<JsonNode> schemas, JsonNode value, JsonPointer at, List<JsonPointer> paths) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    List<JsonNode> expanded = expand(schemas);
    if (expanded.stream().anyMatch(s -> s.path("airbyte_secret").asBoolean(false))) {
      paths.add(at);
      return;
    }
    if (value.isObject()) {
      for (var entry : value.properties()) {
        List<JsonNode> children = new ArrayList<>();
        for (JsonNode schema : expanded) {
          JsonNode child = schema.path("properties").path(entry.getKey());
          if (child.isObject()) {
            children.add(child);
          }
        }
        if (!children.isEmpty()) {
          walk(children, entry.getValue(), at.appendProperty(entry.getKey()), paths);
        }
      }
    } else if (value.isArray()) {
      List<JsonNode> items =
          expanded.stream().map(s -> s.path("items")).filter(JsonNode::isObject).toList();
      for (int i = 0; i < value.size() && !items.isEmpty(); i++) {
        walk(items, value.get(i), at.appendIndex(i), paths);
      }
    }
  }

  /** A schema together with its oneOf / anyOf / allOf options. */
  private static List<JsonNode> expand(List<JsonNode> schemas) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode schema : schemas) {
      out.add(schema);
      for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
        schema.path(combinator).valueStream().filter(JsonNode::isObject).forEach(out::add);
      }
    }
    return out;
  }

  private static void set(ObjectNode root, JsonPointer pointer, JsonNode value) {
    JsonNode parent = root.at(pointer.head());
    JsonPointer last = pointer.last();
    if (parent instanceof ObjectNode object) {
      object.set(last.getMatchingProperty(), value);
    } else if (parent instanceof ArrayNode array) {
      array.set(last.getMatchingIndex(), value);
    }
  }

  private static List<Object> segments(JsonPointer pointer) {
    List<Object> out = new ArrayList<>();
    for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
      out.add(
          p.mayMatchElement() && !p.mayMatchProperty()
              ? (Object) p.getMatchingIndex()
              : p.getMatchingProperty());
    }
    return out;
  }
}
