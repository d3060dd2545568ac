package io.tributary.definition;

import io.tributary.TributaryProperties;
import io.tributary.common.ConflictException;
import io.tributary.common.NotFoundException;
import io.tributary.connector.Destination;
import io.tributary.connector.Source;
import io.tributary.connectors.egress.EgressPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one place connectors are looked up and built. Definitions are read from every {@code
 * tributary/connectors/*.json} on the classpath, so a module that ships connectors registers them
 * by shipping their definition files. A connector is built for one organization: it gets that
 * organization's own directory for {@code /local/...} paths ({@code <local root>/<organization
 * id>}) and the instance's egress policy.
 */
@Component
public class ConnectorRegistry {

  static final String LOCATION = "classpath*:tributary/connectors/*.json";

  private final Map<UUID, ConnectorDefinition> definitions;

  /**
   * Connectors are stateless and thread-safe: one instance per definition and organization
   * (command: per definition).
   */
  private final Map<Instance, Source> sources = new ConcurrentHashMap<>();

  private final Map<Instance, Destination> destinations = new ConcurrentHashMap<>();

  private final ExternalConnectorRepository externals;
  private final JsonMapper json;
  private final BuiltInFactory builtIns;
  private final CommandFactory commands;

  private record Instance(UUID definitionId, UUID organizationId) {}

  ConnectorRegistry(
      JsonMapper json,
      ExternalConnectorRepository externals,
      @Value("${tributary.external-connector-timeout:5m}") Duration externalTimeout,
      @Value("${tributary.local-root:}") String localRoot,
      TributaryProperties properties,
      EgressPolicy egress) {
    this.definitions = load(json);
    this.externals = externals;
    this.json = json;
    // TRIBUTARY_LOCAL_ROOT, else the data dir's local/; each organization gets a directory of its
    // own inside
    this.builtIns =
        new BuiltInFactory(
            localRoot.isBlank() ? properties.dataDir().resolve("local") : Path.of(localRoot),
            egress);
    this.commands = new CommandFactory(externalTimeout, egress);
  }

  /** Built-in connectors, then those the instance admin registered. */
  public List<ConnectorDefinition> all(ConnectorType type) {
    List<ConnectorDefinition> all = new ArrayList<>(definitions.values());
    externals.findAll().forEach(external -> all.add(definition(external)));
    return all.stream()
        .filter(definition -> definition.type() == type)
        .sorted(Comparator.comparing(ConnectorDefinition::name, String.CASE_INSENSITIVE_ORDER))
        .toList();
  }

  public Optional<ConnectorDefinition> find(ConnectorType type, UUID id) {
    return Optional.ofNullable(definitions.get(id))
        .or(() -> externals.find(id).map(this::definition))
        .filter(definition -> definition.type() == type);
  }

  /**
   * Registers an Airbyte-protocol connector run by {@code command}; its spec is asked from the
   * connector itself.
   *
   * @param id the definition id to use (an Airbyte id keeps existing templates working), or null
   *     for a new one
   */
  public ConnectorDefinition register(
      ConnectorType type, String name, List<String> command, UUID id) {
    UUID definitionId = id == null ? UUID.randomUUID() : id;
    if (definitions.containsKey(definitionId) || externals.find(definitionId).isPresent()) {
      throw new ConflictException(
          "A connector with definition id " + definitionId + " already exists");
    }
    var spec =
        type == ConnectorType.SOURCE
            ? commands.source(command).spec()
            : commands.destination(command).spec();
    var external =
        new ExternalConnectorRepository.ExternalConnector(
            definitionId, type, name, List.copyOf(command), json.valueToTree(spec), Instant.now());
    externals.insert(external);
    return definition(external);
  }

  public void unregister(UUID id) {
    if (!externals.delete(id)) {
      throw new NotFoundException("External connector", id);
    }
    sources.keySet().removeIf(instance -> instance.definitionId().equals(id));
    destinations.keySet().removeIf(instance -> instance.definitionId().equals(id));
  }

  private ConnectorDefinition definition(ExternalConnectorRepository.ExternalConnector external) {
    return new ConnectorDefinition(
        external.definitionId(),
        external.type(),
        external.name(),
        "external",
        String.join(" ", external.command()),
        "custom",
        "unknown",
        null,
        List.of(),
        external.spec(),
        new ConnectorRuntime.Command(external.command()));
  }

  public ConnectorDefinition source(UUID id) {
    return find(ConnectorType.SOURCE, id)
        .orElseThrow(() -> new NotFoundException("Source definition", id));
  }

  public ConnectorDefinition destination(UUID id) {
    return find(ConnectorType.DESTINATION, id)
        .orElseThrow(() -> new NotFoundException("Destination definition", id));
  }

  /** The running connector for a source definition, for one organization. */
  public Source sourceConnector(ConnectorDefinition definition, UUID organizationId) {
    requireType(definition, ConnectorType.SOURCE);
    return sources.computeIfAbsent(
        key(definition, organizationId),
        key ->
            switch (definition.runtime()) {
              case ConnectorRuntime.Command command -> commands.source(command.command());
              case ConnectorRuntime.BuiltIn builtIn ->
                  builtIns.source(definition, builtIn, organizationId);
            });
  }

  /** The running connector for a destination definition, for one organization. */
  public Destination destinationConnector(ConnectorDefinition definition, UUID organizationId) {
    requireType(definition, ConnectorType.DESTINATION);
    return destinations.computeIfAbsent(
        key(definition, organizationId),
        key ->
            switch (definition.runtime()) {
              case ConnectorRuntime.Command command -> commands.destination(command.command());
              case ConnectorRuntime.BuiltIn builtIn ->
                  builtIns.destination(definition, builtIn, organizationId);
            });
  }

  private static Instance key(ConnectorDefinition definition, UUID organizationId) {
    // a command runs as a child process and gets no local directory: one instance serves everyone
    boolean command = definition.runtime() instanceof ConnectorRuntime.Command;
    return new Instance(
        definition.definitionId(), command ? null : Objects.requireNonNull(organizationId));
  }

  private static void requireType(ConnectorDefinition definition, ConnectorType type) {
    if (definition.type() != type) {
      throw new IllegalArgumentException(
          "Connector " + definition.name() + " is not a " + type.name().toLowerCase());
    }
  }

  private static Map<UUID, ConnectorDefinition> load(JsonMapper json) {
    Map<UUID, ConnectorDefinition> loaded = new LinkedHashMap<>();
    try {
      for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
        try (InputStream in = resource.getInputStream()) {
          ObjectNode node = (ObjectNode) json.readTree(in);
          ConnectorDefinition definition =
              new ConnectorDefinition(
                  UUID.fromString(node.get("definition_id").asString()),
                  ConnectorType.valueOf(node.get("type").asString().toUpperCase()),
                  node.get("name").asString(),
                  node.get("docker_repository").asString(),
                  node.get("docker_image_tag").asString(),
                  node.get("support_level").asString(),
                  node.get("license").asString(),
                  node.get("documentation_url").asString(),
                  node.has("suggested_streams")
                      ? node.get("suggested_streams").valueStream().map(n -> n.asString()).toList()
                      : List.of(),
                  (ObjectNode) node.get("spec"),
                  new ConnectorRuntime.BuiltIn(node.path("implementation").asString(null)));
          if (loaded.putIfAbsent(definition.definitionId(), definition) != null) {
            throw new IllegalStateException(
                "Two connector definitions share id " + definition.definitionId());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read connector definitions", e);
    }
    return loaded;
  }
}
