package io.tributary.source;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries the change between two versions of a source's configuration onto a third: the source as
 * it is now, which something else may have changed meanwhile (an edit, a token a sync rotated).
 * Fields neither side changed keep the value they have now; objects changed on both sides are
 * walked field by field, so two changes to different fields of one object both hold.
 */
final class ConfigChanges {

  /** Which value a field keeps when the change and the current configuration both changed it. */
  enum Conflict {
    /** The change's: an edit is what its author asked for, whatever happened meanwhile. */
    CHANGE_WINS,
    /** The current one's: a connector's rotation yields to an edit made while it ran. */
    CURRENT_WINS
  }

  private ConfigChanges() {}

  /** Applies to {@code current} each change from {@code before} to {@code after}. */
  static void apply(ObjectNode current, ObjectNode before, ObjectNode after, Conflict conflict) {
    after
        .properties()
        .forEach(
            field -> {
              String name = field.getKey();
              JsonNode was = before.get(name);
              JsonNode now = current.get(name);
              if (field.getValue().equals(was)) {
                return;
              }
              if (field.getValue() instanceof ObjectNode changed
                  && was instanceof ObjectNode original
                  && now instanceof ObjectNode kept) {
                apply(kept, original, changed, conflict);
              } else if (conflict == Conflict.CHANGE_WINS || Objects.equals(now, was)) {
                current.set(name, field.getValue());
              }
            });
    before.propertyNames().stream()
        .filter(name -> !after.has(name))
        .filter(
            name ->
                conflict == Conflict.CHANGE_WINS
                    || Objects.equals(current.get(name), before.get(name)))
        .toList()
        .forEach(current::remove);
  }
}
