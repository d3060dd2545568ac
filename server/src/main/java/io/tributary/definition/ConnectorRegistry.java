package io.tributary.definition;

import io.tributary.common.ConflictException;
import io.tributary.common.NotFoundException;
import io.tributary.connector.Destination;
import io.tributary.connector.Source;
import io.tributary.connectors.BuiltInConnectors;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.external.ExternalDestination;
import io.tributary.connectors.external.ExternalSource;
import io.tributary.connectors.files.LocalRoot;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one place connectors are looked up and built. Definitions are read from every
 * {@code tributary/connectors/*.json} on the classpath, so a module that ships connectors registers them by
 * shipping their definition files. A connector is built for one organization: it gets that organization's own
 * directory for {@code /local/...} paths ({@code <local root>/<organization id>}) and the instance's egress policy.
 */
@Component
public class ConnectorRegistry {

  static final String LOCATION = "classpath*:tributary/connectors/*.json";
  private static final String EXTERNAL_PREFIX = "external:";

  private final Map<UUID, ConnectorDefinition> definitions;
  /** Connectors are stateless and thread-safe: one instance per definition and organization (external: per definition). */
  private final Map<Instance, Object> instances = new java.util.concurrent.ConcurrentHashMap<>();

  private final ExternalConnectorRepository externals;
  private final JsonMapper json;
  private final Duration externalTimeout;
  private final EgressPolicy egress;
  private final Path localRoot;

  private record Instance(UUID definitionId, UUID organizationId) {}

  ConnectorRegistry(JsonMapper json, ExternalConnectorRepository externals,
      @Value("${tributary.external-connector-timeout:5m}") Duration externalTimeout,
      @Value("${tributary.local-root:}") String localRoot,
      io.tributary.TributaryProperties properties, EgressPolicy egress) {
    this.definitions = load(json);
    this.externals = externals;
    this.json = json;
    this.externalTimeout = externalTimeout;
    this.egress = egress;
    // TRIBUTARY_LOCAL_ROOT, else the data dir's local/; each organization gets a directory of its own inside
    this.localRoot = localRoot.isBlank() ? properties.dataDir().resolve("local") : Path.of(localRoot);
  }

  /** Built-in connectors, then those the instance admin registered. */
  public List<ConnectorDefinition> all(ConnectorType type) {
    List<ConnectorDefinition> all = new java.util.ArrayList<>(definitions.values());
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
   * Registers an Airbyte-protocol connector run by {@code command}; its spec is asked from the connector itself.
   *
   * @param id the definition id to use (an Airbyte id keeps existing templates working), or null for a new one
   */
  public ConnectorDefinition register(ConnectorType type, String name, List<String> command, UUID id) {
    UUID definitionId = id == null ? UUID.randomUUID() : id;
    if (definitions.containsKey(definitionId) || externals.find(definitionId).isPresent()) {
      throw new ConflictException("A connector with definition id " + definitionId + " already exists");
    }
    var spec = type == ConnectorType.SOURCE
        ? new ExternalSource(command, externalTimeout, egress).spec()
        : new ExternalDestination(command, externalTimeout, egress).spec();
    var external = new ExternalConnectorRepository.ExternalConnector(definitionId, type, name, List.copyOf(command),
        json.valueToTree(spec), java.time.Instant.now());
    externals.insert(external);
    return definition(external);
  }

  public void unregister(UUID id) {
    if (!externals.delete(id)) {
      throw new NotFoundException("External connector", id);
    }
    instances.keySet().removeIf(instance -> instance.definitionId().equals(id));
  }

  private ConnectorDefinition definition(ExternalConnectorRepository.ExternalConnector external) {
    return new ConnectorDefinition(external.definitionId(), external.type(), external.name(), "external",
        String.join(" ", external.command()), "custom", "unknown", null, List.of(), external.spec(),
        EXTERNAL_PREFIX + json.writeValueAsString(external.command()));
  }

  public ConnectorDefinition source(UUID id) {
    return find(ConnectorType.SOURCE, id).orElseThrow(() -> new NotFoundException("Source definition", id));
  }

  public ConnectorDefinition destination(UUID id) {
    return find(ConnectorType.DESTINATION, id).orElseThrow(() -> new NotFoundException("Destination definition", id));
  }

  /** The running connector for a source definition, for one organization. */
  public Source sourceConnector(ConnectorDefinition definition, UUID organizationId) {
    return (Source) instance(definition, organizationId);
  }

  /** The running connector for a destination definition, for one organization. */
  public Destination destinationConnector(ConnectorDefinition definition, UUID organizationId) {
    return (Destination) instance(definition, organizationId);
  }

  private Object instance(ConnectorDefinition definition, UUID organizationId) {
    boolean external = definition.implementation() != null && definition.implementation().startsWith(EXTERNAL_PREFIX);
    // an external connector runs as a child process and gets no local directory: one instance serves everyone
    Instance key = new Instance(definition.definitionId(), external ? null : java.util.Objects.requireNonNull(organizationId));
    return instances.computeIfAbsent(key, k -> instantiate(definition, organizationId));
  }

  private Object instantiate(ConnectorDefinition definition, UUID organizationId) {
    if (definition.implementation() != null && definition.implementation().startsWith(EXTERNAL_PREFIX)) {
      List<String> command = List.of(json.readValue(definition.implementation().substring(EXTERNAL_PREFIX.length()), String[].class));
      return definition.type() == ConnectorType.SOURCE
          ? new ExternalSource(command, externalTimeout, egress)
          : new ExternalDestination(command, externalTimeout, egress);
    }
    var settings = new BuiltInConnectors.Settings(LocalRoot.of(localRoot, organizationId), egress);
    return BuiltInConnectors.create(String.valueOf(definition.implementation()), settings)
        .orElseThrow(() -> new IllegalStateException("Connector " + definition.name() + " has no usable implementation"));
  }

  private static Map<UUID, ConnectorDefinition> load(JsonMapper json) {
    Map<UUID, ConnectorDefinition> loaded = new LinkedHashMap<>();
    try {
      for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
        try (InputStream in = resource.getInputStream()) {
          ObjectNode node = (ObjectNode) json.readTree(in);
          ConnectorDefinition definition = new ConnectorDefinition(
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
              node.path("implementation").asString(null));
          if (loaded.putIfAbsent(definition.definitionId(), definition) != null) {
            throw new IllegalStateException("Two connector definitions share id " + definition.definitionId());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read connector definitions", e);
    }
    return loaded;
  }
}
