package io.tributary.definition;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import io.tributary.common.ValidationException;
import io.tributary.common.ValidationException.Violation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates connector configurations against their connector's JSON schema and reports each problem
 * with the path of the offending field, e.g. {@code ["source_config", "port"]}.
 */
@Component
public class ConfigValidator {

  /** How much of the schema a configuration must satisfy. */
  public enum Completeness {
    /** Every required field present: a configuration a connector can run with. */
    COMPLETE,
    /** Top-level fields may be missing: a template's defaults, completed later by the end user. */
    PARTIAL
  }

  private static final Pattern ONE_OF_BRANCH = Pattern.compile("^(.*/oneOf)/(\\d+)(/.*)?$");

  /** Airbyte's spec extensions: annotations for forms, not constraints. */
  private static final List<String> AIRBYTE_KEYWORDS =
      List.of(
          "airbyte_secret",
          "airbyte_hidden",
          "order",
          "group",
          "groups",
          "always_show",
          "multiline",
          "display_type",
          "pattern_descriptor",
          "examples",
          "title",
          "description");

  private final SchemaRegistry registry =
      SchemaRegistry.withDialect(
          Dialect.builder(Dialects.getDraft7())
              .keywords(AIRBYTE_KEYWORDS.stream().map(NonValidationKeyword::new).toList())
              .build());
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  /**
   * @param field the input's field holding the configuration, e.g. {@code "source_config"}
   * @throws ValidationException listing every problem found
   */
  public void validate(
      ConnectorDefinition definition, JsonNode config, Completeness completeness, String field) {
    List<Violation> problems = problems(definition, config, completeness, List.of(field));
    if (!problems.isEmpty()) {
      throw ValidationException.of(problems);
    }
  }

  private List<Violation> problems(
      ConnectorDefinition definition, JsonNode config, Completeness completeness, List<Object> at) {
    if (config == null || !config.isObject()) {
      return List.of(new Violation(at, "value is not a valid dict", "type_error.dict"));
    }
    Schema schema =
        compiled.computeIfAbsent(
            definition.definitionId() + "/" + completeness,
            key ->
                registry.getSchema(
                    SchemaLocation.of("urn:tributary:" + key.replace('/', ':')),
                    strictTopLevel(definition.connectionSpecification(), completeness)));
    List<Error> errors = schema.validate(config);
    return errors.isEmpty() ? List.of() : describe(errors, at);
  }

  /**
   * Unknown top-level keys are refused; a partial configuration drops the top-level {@code
   * required}.
   */
  private static JsonNode strictTopLevel(JsonNode specification, Completeness completeness) {
    ObjectNode schema = (ObjectNode) specification.deepCopy();
    schema.put("additionalProperties", false);
    if (completeness == Completeness.PARTIAL) {
      schema.remove("required");
    }
    return schema;
  }

  /**
   * A oneOf failure reports the errors of every option; only those of the option the user meant
   * (the one whose discriminator matched, i.e. fewest errors) say something useful.
   */
  private static List<Violation> describe(List<Error> errors, List<Object> loc) {
    Map<String, Map<Integer, List<Error>>> branches = new LinkedHashMap<>();
    List<Error> plain = new ArrayList<>();
    for (Error error : errors) {
      Matcher branch = ONE_OF_BRANCH.matcher(error.getEvaluationPath().toString());
      if (branch.matches()) {
        branches
            .computeIfAbsent(branch.group(1), k -> new LinkedHashMap<>())
            .computeIfAbsent(Integer.parseInt(branch.group(2)), k -> new ArrayList<>())
            .add(error);
      } else {
        plain.add(error);
      }
    }
    List<Violation> out = new ArrayList<>();
    for (Error error : plain) {
      if ("oneOf".equals(error.getKeyword())
          && branches.containsKey(error.getEvaluationPath().toString())) {
        String at = error.getInstanceLocation().toString();
        List<Error> chosen =
            branches.get(error.getEvaluationPath().toString()).values().stream()
                .filter(branch -> branch.stream().noneMatch(e -> discriminatorMismatch(e, at)))
                .min(Comparator.comparingInt(List::size))
                .orElse(List.of());
        if (!chosen.isEmpty()) {
          chosen.forEach(e -> out.add(violation(e, loc)));
          continue;
        }
      }
      out.add(violation(error, loc));
    }
    return out.stream().distinct().collect(Collectors.toList());
  }

  /**
   * A const/enum failure on a direct child of the oneOf's value: the option's discriminator did not
   * match.
   */
  private static boolean discriminatorMismatch(Error error, String oneOfLocation) {
    if (!"const".equals(error.getKeyword()) && !"enum".equals(error.getKeyword())) {
      return false;
    }
    var parent = error.getInstanceLocation().getParent();
    return parent != null && parent.toString().equals(oneOfLocation);
  }

  private static Violation violation(Error error, List<Object> prefix) {
    List<Object> loc = new ArrayList<>(prefix);
    var path = error.getInstanceLocation();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      loc.add(element instanceof Number n ? (Object) n.intValue() : String.valueOf(element));
    }
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    return switch (keyword) {
      case "required" -> {
        loc.add(error.getProperty());
        yield new Violation(loc, "field required", "value_error.missing");
      }
      case "additionalProperties" -> {
        loc.add(error.getProperty());
        yield new Violation(
            loc,
            "extra fields not permitted: the connector does not define this field",
            "value_error.extra");
      }
      case "type" -> new Violation(loc, message(error), "type_error");
      case "enum", "const" -> new Violation(loc, message(error), "type_error.enum");
      default -> new Violation(loc, message(error), "value_error." + keyword);
    };
  }

  /** The library's message without its leading JSON path, which {@code loc} already carries. */
  private static String message(Error error) {
    String message = error.getMessage();
    int colon = message.indexOf(": ");
    return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
  }
}
