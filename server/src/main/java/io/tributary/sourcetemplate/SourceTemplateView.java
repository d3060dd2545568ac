package io.tributary.sourcetemplate;

import io.tributary.definition.ConnectorDefinition;
import io.tributary.template.TemplateView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A source template as the API shows it. {@code user_config_spec} is the form the end user fills in
 * (see {@link EndUserForms}).
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
      SourceTemplate template,
      ConnectorDefinition definition,
      List<String> tags,
      EndUserForms forms) {
    return new SourceTemplateView(
        template.id(),
        template.organizationId(),
        template.name(),
        definition.iconUrl(),
        definition.connectorName(),
        template.actorDefinitionId(),
        template.actorDefinitionId(),
        template.partialDefaultConfig().masked(),
        forms.userConfigSpec(
            definition, template.partialDefaultConfig().masked(), template.customization()),
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
}
