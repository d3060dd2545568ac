package io.tributary.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * The connector catalog, in the shapes of notes §1.9 (camelCase keys there, as Airbyte answers
 * them).
 */
@RestController
@Tag(name = "Connector definitions")
class DefinitionController {

  private final ConnectorRegistry registry;

  DefinitionController(ConnectorRegistry registry) {
    this.registry = registry;
  }

  @GetMapping("/api/v1/integrations/definitions/sources")
  @Operation(summary = "List source connectors, optionally by part of their name")
  SourceDefinitions sources(OperatorCaller caller, @RequestParam(required = false) String name) {
    String filter = name == null ? "" : name.toLowerCase(Locale.ROOT);
    return new SourceDefinitions(
        registry.all(ConnectorType.SOURCE).stream()
            .filter(
                d ->
                    d.name().toLowerCase(Locale.ROOT).contains(filter)
                        || d.connectorName().contains(filter))
            .map(Summary::of)
            .toList());
  }

  @GetMapping("/api/v1/integrations/definitions/sources/{definitionId}")
  @Operation(summary = "Get a source connector with its configuration spec")
  Detail source(OperatorCaller caller, @PathVariable UUID definitionId) {
    return Detail.of(registry.source(definitionId));
  }

  @GetMapping("/api/v1/integrations/definitions/destinations")
  @Operation(summary = "List destination connectors, optionally only some ids")
  DestinationDefinitions destinations(
      OperatorCaller caller,
      @RequestParam(name = "actorDefinitionIds", required = false) List<UUID> ids) {
    return new DestinationDefinitions(
        registry.all(ConnectorType.DESTINATION).stream()
            .filter(d -> ids == null || ids.isEmpty() || ids.contains(d.definitionId()))
            .map(d -> new DestinationItem(d.definitionId(), d.name(), d.iconUrl()))
            .toList());
  }

  @GetMapping("/api/v1/integrations/definitions/destinations/{definitionId}")
  @Operation(summary = "Get a destination connector with its configuration spec")
  Detail destination(OperatorCaller caller, @PathVariable UUID definitionId) {
    return Detail.of(registry.destination(definitionId));
  }

  record SourceDefinitions(List<Summary> definitions) {}

  record DestinationDefinitions(List<DestinationItem> destinations) {}

  record DestinationItem(UUID id, String name, String icon) {}

  record Summary(
      @JsonProperty("sourceDefinitionId") UUID sourceDefinitionId,
      @JsonProperty("destinationDefinitionId") UUID destinationDefinitionId,
      @JsonProperty("name") String name,
      @JsonProperty("dockerRepository") String dockerRepository,
      @JsonProperty("dockerImageTag") String dockerImageTag,
      @JsonProperty("documentationUrl") String documentationUrl,
      @JsonProperty("iconUrl") String iconUrl,
      @JsonProperty("supportLevel") String supportLevel,
      @JsonProperty("custom") boolean custom) {
    static Summary of(ConnectorDefinition d) {
      boolean source = d.type() == ConnectorType.SOURCE;
      return new Summary(
          source ? d.definitionId() : null,
          source ? null : d.definitionId(),
          d.name(),
          d.dockerRepository(),
          d.dockerImageTag(),
          d.documentationUrl(),
          d.iconUrl(),
          d.supportLevel(),
          d.custom());
    }
  }

  record DefinitionBody(
      @JsonProperty("sourceDefinitionId") UUID sourceDefinitionId,
      @JsonProperty("destinationDefinitionId") UUID destinationDefinitionId,
      @JsonProperty("name") String name,
      @JsonProperty("dockerRepository") String dockerRepository,
      @JsonProperty("dockerImageTag") String dockerImageTag,
      @JsonProperty("documentationUrl") String documentationUrl,
      @JsonProperty("supportLevel") String supportLevel,
      @JsonProperty("license") String license,
      @JsonProperty("iconUrl") String iconUrl,
      @JsonProperty("runtime") String runtime,
      @JsonProperty("suggestedStreams") List<String> suggestedStreams,
      @JsonProperty("spec") ObjectNode spec) {}

  record Detail(UUID id, DefinitionBody definition, List<String> exampleQuestions) {
    static Detail of(ConnectorDefinition d) {
      boolean source = d.type() == ConnectorType.SOURCE;
      return new Detail(
          d.definitionId(),
          new DefinitionBody(
              source ? d.definitionId() : null,
              source ? null : d.definitionId(),
              d.name(),
              d.dockerRepository(),
              d.dockerImageTag(),
              d.documentationUrl(),
              d.supportLevel(),
              d.license(),
              d.iconUrl(),
              d.runtime().kind(),
              d.suggestedStreams(),
              d.spec()),
          List.of());
    }
  }
}
