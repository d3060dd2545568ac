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
 * @param iconUrl where its icon is (Airbyte's registry gives one), or null
 * @param runtime how its connector runs: built in, a registered command, a Python package or a
 *     declarative manifest
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
    String iconUrl,
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

  /** Registered or installed by the instance admin rather than built in. */
  public boolean custom() {
    return !(runtime instanceof ConnectorRuntime.BuiltIn);
  }

  /** The connector's version: its package's, else its image tag. */
  public String version() {
    return runtime instanceof ConnectorRuntime.PythonPackage p ? p.version() : dockerImageTag;
  }
}
