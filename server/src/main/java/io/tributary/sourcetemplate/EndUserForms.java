package io.tributary.sourcetemplate;

import io.tributary.common.ValidationException;
import io.tributary.common.ValidationException.FieldError;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.oauth.OAuthFlow;
import io.tributary.sourcetemplate.Customization.FormField;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The form an end user fills in for a source template ({@code user_config_spec}): the connector's
 * spec without the fields the template presets or an OAuth consent fills, in plain words for the
 * built-in connectors (titles, descriptions, safe defaults, option names: {@code
 * end-user-forms/<connector>.json}), then changed as the operator's {@code customization.form}
 * says. Both name fields by their dotted path; a path goes through nested objects, the items of a
 * list of objects, and into every option of a choice ({@code oneOf}) that has the field.
 */
@Component
public class EndUserForms {

  private static final String LOCATION = "classpath*:end-user-forms/*.json";
  private static final int MAX_HELP = 2000;
  private static final int MAX_TEXT = 500;

  /** Tributary's wording per built-in connector, by its image name ({@code source-postgres}). */
  private final Map<String, ObjectNode> plainWording = new HashMap<>();

  EndUserForms(JsonMapper json) {
    try {
      for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
        String file = resource.getFilename();
        try (InputStream in = resource.getInputStream()) {
          plainWording.put(
              file.substring(0, file.length() - ".json".length()), (ObjectNode) json.readTree(in));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the end-user forms", e);
    }
  }

  /** The spec of the form the end user fills in. */
  public ObjectNode userConfigSpec(
      ConnectorDefinition definition, JsonNode presets, Customization customization) {
    ObjectNode spec = definition.spec().deepCopy();
    OAuthFlow.of(spec)
        .ifPresent(
            flow ->
                spec.set(
                    "connectionSpecification",
                    flow.withoutConsentFields((ObjectNode) spec.get("connectionSpecification"))));
    ObjectNode schema = (ObjectNode) spec.get("connectionSpecification");
    for (String field : presets.propertyNames()) {
      remove(new Slot(schema, field));
    }
    ObjectNode wording = definition.custom() ? null : plainWording.get(imageName(definition));
    if (wording != null) {
      wording.properties().forEach(e -> change(schema, e.getKey(), (ObjectNode) e.getValue()));
    }
    if (customization != null && customization.form() != null) {
      customization
          .form()
          .forEach((path, field) -> change(schema, path, changesOf(field, spec.objectNode())));
    }
    return spec;
  }

  /**
   * The paths of Tributary's wording for a built-in connector that lead nowhere in its spec (none,
   * unless a connector's spec changed under it).
   */
  List<String> strayWording(ConnectorDefinition definition) {
    ObjectNode wording = plainWording.get(imageName(definition));
    if (wording == null) {
      return List.of();
    }
    ObjectNode schema = (ObjectNode) definition.connectionSpecification();
    return wording.propertyNames().stream()
        .filter(path -> resolve(schema, segments(path)).isEmpty())
        .toList();
  }

  /** The built-in connectors Tributary words for end users, by image name. */
  java.util.Set<String> wordedConnectors() {
    return plainWording.keySet();
  }

  /**
   * Refuses (422) presets that choose OAuth but set part of the object its consent fills: the
   * consent could then never store its tokens, and no end user could make a source.
   */
  public void checkConsentCanFill(ConnectorDefinition definition, JsonNode presets) {
    OAuthFlow.of(definition.spec())
        .map(flow -> flow.unreachableByConsent(presets))
        .filter(paths -> !paths.isEmpty())
        .ifPresent(
            paths -> {
              throw new ValidationException(
                  List.of(
                      new FieldError(
                          List.of("body", "partial_default_config", paths.getFirst().getFirst()),
                          "the OAuth consent fills "
                              + String.join(".", paths.getFirst())
                              + ": preset all of '"
                              + paths.getFirst().getFirst()
                              + "' or none of it",
                          "value_error.oauth_preset")));
            });
  }

  /**
   * Refuses (422) an operator's form that names a field the connector's spec does not have, or
   * hides a required field the template does not preset (the end user could then never save).
   */
  public void check(ConnectorDefinition definition, JsonNode presets, Customization customization) {
    if (customization == null || customization.form() == null) {
      return;
    }
    ObjectNode schema = (ObjectNode) definition.connectionSpecification();
    List<FieldError> errors = new ArrayList<>();
    customization
        .form()
        .forEach(
            (path, field) -> {
              List<Object> loc = List.of("body", "customization", "form", path);
              List<Slot> slots = resolve(schema, segments(path));
              if (field == null) {
                errors.add(new FieldError(loc, "must be an object", "type_error.dict"));
              } else if (slots.isEmpty()) {
                errors.add(
                    new FieldError(
                        loc,
                        "the connector's spec has no field '" + path + "'",
                        "value_error.unknown_field"));
              } else if (Boolean.TRUE.equals(field.hidden())
                  && slots.stream().anyMatch(Slot::required)
                  && !(segments(path).size() == 1 && presets.has(path))) {
                errors.add(
                    new FieldError(
                        loc,
                        "'"
                            + path
                            + "' is required: set it in partial_default_config to hide it from end users",
                        "value_error.required_hidden"));
              } else {
                text(field.title(), MAX_TEXT, "title", loc, errors);
                text(field.description(), MAX_TEXT, "description", loc, errors);
                text(field.help(), MAX_HELP, "help", loc, errors);
              }
            });
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  private static void text(
      String value, int max, String name, List<Object> at, List<FieldError> errors) {
    if (value != null && (value.isBlank() || value.length() > max)) {
      List<Object> loc = new ArrayList<>(at);
      loc.add(name);
      errors.add(
          new FieldError(
              loc, "must be between 1 and " + max + " characters", "value_error.any_str"));
    }
  }

  private static String imageName(ConnectorDefinition definition) {
    String repository = definition.dockerRepository();
    return repository.substring(repository.indexOf('/') + 1);
  }

  private static ObjectNode changesOf(FormField field, ObjectNode changes) {
    if (Boolean.TRUE.equals(field.hidden())) {
      changes.put("hidden", true);
    }
    if (field.title() != null) {
      changes.put("title", field.title());
    }
    if (field.description() != null) {
      changes.put("description", field.description());
    }
    if (field.help() != null) {
      changes.put("help", field.help());
    }
    if (field.order() != null) {
      changes.put("order", field.order());
    }
    return changes;
  }

  /**
   * Applies one field's changes: {@code hidden} removes it; {@code option_titles} and {@code
   * option_descriptions} rename a choice's options by the value that tells them apart; any other
   * keyword replaces the spec's. A path that no longer leads anywhere (the template now presets the
   * field) changes nothing.
   */
  private static void change(ObjectNode schema, String path, ObjectNode changes) {
    for (Slot slot : resolve(schema, segments(path))) {
      if (changes.path("hidden").asBoolean(false)) {
        remove(slot);
        continue;
      }
      ObjectNode field = slot.field();
      for (var change : changes.properties()) {
        switch (change.getKey()) {
          case "hidden" -> {}
          case "option_titles" -> relabel(field, (ObjectNode) change.getValue(), "title");
          case "option_descriptions" ->
              relabel(field, (ObjectNode) change.getValue(), "description");
          default -> field.set(change.getKey(), change.getValue().deepCopy());
        }
      }
    }
  }

  private static void relabel(ObjectNode choice, ObjectNode labels, String keyword) {
    if (!(choice.get("oneOf") instanceof ArrayNode options)) {
      return;
    }
    for (JsonNode option : options) {
      for (JsonNode property : option.path("properties")) {
        JsonNode value =
            property.has("const")
                ? property.get("const")
                : property.path("enum").size() == 1 ? property.get("enum").get(0) : null;
        if (value != null && value.isString() && labels.has(value.asString())) {
          ((ObjectNode) option).set(keyword, labels.get(value.asString()).deepCopy());
        }
      }
    }
  }

  private static List<String> segments(String path) {
    return Arrays.asList(path.split("\\.", -1));
  }

  /** Where a path leads: a field of an object schema, in each option of a choice that has it. */
  private static List<Slot> resolve(ObjectNode objectSchema, List<String> path) {
    String head = path.getFirst();
    if (head.isEmpty() || !(objectSchema.path("properties").get(head) instanceof ObjectNode)) {
      return List.of();
    }
    Slot slot = new Slot(objectSchema, head);
    if (path.size() == 1) {
      return List.of(slot);
    }
    List<String> rest = path.subList(1, path.size());
    ObjectNode field = slot.field();
    List<Slot> found = new ArrayList<>();
    if (field.has("properties")) {
      found.addAll(resolve(field, rest));
    }
    // a list of objects: its items' fields (table_filters.database_name)
    if (field.get("items") instanceof ObjectNode items && items.has("properties")) {
      found.addAll(resolve(items, rest));
    }
    for (JsonNode option : field.path("oneOf")) {
      if (option instanceof ObjectNode object) {
        found.addAll(resolve(object, rest));
      }
    }
    return found;
  }

  private static void remove(Slot slot) {
    if (slot.parent().get("properties") instanceof ObjectNode properties) {
      properties.remove(slot.key());
    }
    if (slot.parent().get("required") instanceof ArrayNode required) {
      for (int i = required.size() - 1; i >= 0; i--) {
        if (slot.key().equals(required.get(i).asString())) {
          required.remove(i);
        }
      }
    }
  }

  /** A field by its object schema and name. */
  private record Slot(ObjectNode parent, String key) {

    ObjectNode field() {
      return (ObjectNode) parent.get("properties").get(key);
    }

    boolean required() {
      for (JsonNode name : parent.path("required")) {
        if (key.equals(name.asString())) {
          return true;
        }
      }
      return false;
    }
  }
}
