package io.tributary.definition;

import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connector type an operator can build templates from, with its Airbyte-compatible id and specification
 * ({@code spec.connectionSpecification} is the JSON schema of its configuration).
 *
 * @param implementation the class implementing it (a {@code Source} or {@code Destination} with a public
 *     no-argument constructor)
 */
public record ConnectorDefinition(
    UUID definitionId,
    ConnectorType type,
    String name,
    String dockerRepository,
    String dockerImageTag,
    String supportLevel,
    String license,
    String documentationUrl,
    List<String> suggestedStreams,
    ObjectNode spec,
    String implementation) {

  public JsonNode connectionSpecification() {
    return spec.get("connectionSpecification");
  }

  /** The connector's name without the source-/destination- prefix, e.g. {@code postgres}. */
  public String connectorName() {
    if (!dockerRepository.contains("/")) {
      return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
    String repository = dockerRepository.substring(dockerRepository.indexOf('/') + 1);
    return repository.substring(repository.indexOf('-') + 1);
  }

  public boolean custom() {
    return implementation != null && implementation.startsWith("external:");
  }
}
