package io.tributary.catalog;

import io.tributary.common.BadRequestException;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 on a stream's configuration document {@code {sync_mode, destination_sync_mode,
 * cursor_field, primary_key}}: add, replace and remove of those four members, as the Airbyte
 * documentation supports. Anything else (another op, another path, a missing value) is "Invalid
 * JSON Patch operation".
 */
final class StreamPatch {

  private static final Set<String> PATHS =
      Set.of("/sync_mode", "/destination_sync_mode", "/cursor_field", "/primary_key");

  private StreamPatch() {}

  static ObjectNode apply(JsonNode patch, ObjectNode document) {
    if (patch == null || !patch.isArray() || patch.isEmpty()) {
      throw invalid();
    }
    ObjectNode result = document.deepCopy();
    for (JsonNode operation : patch) {
      String op = operation.path("op").asString("");
      String path = operation.path("path").asString("");
      if (!PATHS.contains(path)) {
        throw invalid();
      }
      String member = path.substring(1);
      switch (op) {
        case "add", "replace" -> {
          if (!operation.has("value")) {
            throw invalid();
          }
          if (op.equals("replace") && !result.has(member)) {
            throw invalid();
          }
          result.set(member, operation.get("value"));
        }
        case "remove" -> {
          if (!result.has(member)) {
            throw invalid();
          }
          result.remove(member);
        }
        default -> throw invalid();
      }
    }
    return result;
  }

  /** The members a (valid) patch adds, replaces or removes. */
  static Set<String> members(JsonNode patch) {
    Set<String> members = new HashSet<>();
    patch.forEach(operation -> members.add(operation.path("path").asString("").substring(1)));
    return members;
  }

  private static BadRequestException invalid() {
    return new BadRequestException("Invalid JSON Patch operation");
  }
}
