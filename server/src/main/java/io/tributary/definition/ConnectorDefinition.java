package io.tributary.definition;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connector type an operator can build templates from, with its Airbyte-compatible id and
 * specification ({@code spec.connectionSpecification} is the JSON schema of its configuration).
 *
 * @param runtime how its connector runs: built in, or a registered command
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
    ConnectorRuntime runtime) {

  public JsonNode connectionSpecification() {
    return spec.get("connectionSpecification");
  }

  /** The connector's name without the source-/destination- prefix, e.g. {@code postgres}. */
  public String connectorName() {
    if (!dockerRepository.contains("/")) {
      return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
    String repository = dockerRepository.substring(dockerRepository.indexOf('/') + 1);
    return repository.substring(repository.indexOf('-') + 1);
  }

  /** Registered by the instance admin rather than built in. */
  public boolean custom() {
    return runtime instanceof ConnectorRuntime.Command;
  }
}
