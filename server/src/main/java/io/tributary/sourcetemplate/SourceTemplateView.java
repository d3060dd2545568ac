package io.tributary.sourcetemplate;

import io.tributary.definition.ConnectorDefinition;
import io.tributary.oauth.OAuthFlow;
import io.tributary.template.TemplateView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A source template as the API shows it. {@code user_config_spec} is the connector's spec without
 * the fields the template presets: the form the end user fills in.
 */
public record SourceTemplateView(
    UUID id,
    UUID organizationId,
    String name,
    String icon,
    String connectorName,
    UUID actorDefinitionId,
    UUID sourceDefinitionId,
    JsonNode partialDefaultConfig,
    JsonNode userConfigSpec,
    Customization customization,
    List<String> tags,
    Instant createdAt,
    Instant updatedAt)
    implements TemplateView {

  static SourceTemplateView of(
      SourceTemplate template, ConnectorDefinition definition, List<String> tags) {
    return new SourceTemplateView(
        template.id(),
        template.organizationId(),
        template.name(),
        definition.iconUrl(),
        definition.connectorName(),
        template.actorDefinitionId(),
        template.actorDefinitionId(),
        template.partialDefaultConfig().masked(),
        userConfigSpec(definition, template.partialDefaultConfig().masked()),
        template.customization(),
        tags,
        template.createdAt(),
        template.updatedAt());
  }

  /** What an end user sees: the form to fill, not the operator's preset values. */
  public static SourceTemplateView forEndUser(SourceTemplateView view) {
    return new SourceTemplateView(
        view.id(),
        view.organizationId(),
        view.name(),
        view.icon(),
        view.connectorName(),
        view.actorDefinitionId(),
        view.sourceDefinitionId(),
        null,
        view.userConfigSpec(),
        view.customization(),
        view.tags(),
        view.createdAt(),
        view.updatedAt());
  }

  /**
   * The connector spec with the preset top-level fields removed from {@code properties} and {@code
   * required}, and, for a connector connected by OAuth ({@code advanced_auth}), the fields its
   * consent fills.
   */
  public static ObjectNode userConfigSpec(ConnectorDefinition definition, JsonNode presets) {
    ObjectNode spec = definition.spec().deepCopy();
    OAuthFlow.of(spec)
        .ifPresent(
            flow ->
                spec.set(
                    "connectionSpecification",
                    flow.withoutConsentFields((ObjectNode) spec.get("connectionSpecification"))));
    ObjectNode schema = (ObjectNode) spec.get("connectionSpecification");
    ObjectNode properties = (ObjectNode) schema.get("properties");
    ArrayNode required = schema.has("required") ? (ArrayNode) schema.get("required") : null;
    for (String field : presets.propertyNames()) {
      properties.remove(field);
      if (required != null) {
        for (int i = required.size() - 1; i >= 0; i--) {
          if (field.equals(required.get(i).asString())) {
            required.remove(i);
          }
        }
      }
    }
    return spec;
  }
}
