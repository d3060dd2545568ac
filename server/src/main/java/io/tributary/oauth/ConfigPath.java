package io.tributary.oauth;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A place in a connector configuration, as Airbyte's {@code path_in_connector_config} names it. */
final class ConfigPath {

  private ConfigPath() {}

  static JsonNode get(JsonNode config, List<String> path) {
    JsonNode current = config;
    for (String step : path) {
      if (current == null || !current.isObject()) {
        return null;
      }
      current = current.get(step);
    }
    return current == null || current.isNull() ? null : current;
  }

  /** Sets the value, creating the objects on the way (replacing a non-object in the way). */
  static void set(ObjectNode config, List<String> path, JsonNode value) {
    ObjectNode current = config;
    for (String step : path.subList(0, path.size() - 1)) {
      current = current.get(step) instanceof ObjectNode child ? child : current.putObject(step);
    }
    current.set(path.getLast(), value);
  }

  static void remove(ObjectNode config, List<String> path) {
    JsonNode parent = get(config, path.subList(0, path.size() - 1));
    if (path.size() == 1) {
      config.remove(path.getFirst());
    } else if (parent instanceof ObjectNode object) {
      object.remove(path.getLast());
    }
  }

  /** {@code into} with every field of {@code from} merged in, objects recursively. */
  static void merge(ObjectNode into, JsonNode from) {
    from.properties()
        .forEach(
            field -> {
              if (field.getValue() instanceof ObjectNode child
                  && into.get(field.getKey()) instanceof ObjectNode existing) {
                merge(existing, child);
              } else {
                into.set(field.getKey(), field.getValue().deepCopy());
              }
            });
  }
}
