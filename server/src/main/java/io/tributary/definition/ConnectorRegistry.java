package io.tributary.definition;

import io.tributary.common.ConflictException;
import io.tributary.common.NotFoundException;
import io.tributary.connector.Destination;
import io.tributary.connector.Source;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.external.Sandbox;
import io.tributary.connectors.external.WorkingDirectories;
import io.tributary.connectors.python.PythonEnvironments;
import io.tributary.definition.ExternalConnectorRepository.ExternalConnector;
import io.tributary.settings.TributaryProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
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

  /** The airbyte-cdk that runs declarative manifests, pinned ({@code TRIBUTARY_CDK_VERSION}). */
  static final String DEFAULT_CDK_VERSION = "7.39.1";

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

  /**
   * A connector as built: its runtime is part of the key, so an upgrade installed through another
   * node (a new package version, a new manifest) is built anew here too.
   */
  private record Instance(UUID definitionId, UUID organizationId, ConnectorRuntime runtime) {}

  ConnectorRegistry(
      JsonMapper json,
      ExternalConnectorRepository externals,
      @Value("${tributary.external-connector-timeout:5m}") Duration externalTimeout,
      @Value("${tributary.local-root:}") String localRoot,
      @Value("${tributary.python:python3}") String python,
      @Value("${tributary.cdk-version:" + DEFAULT_CDK_VERSION + "}") String cdkVersion,
      @Value("${tributary.allow-custom-connector-code:false}") boolean customCode,
      @Value("${tributary.connector-environment:}") String connectorEnvironment,
      @Value("${tributary.connector-sandbox:auto}") String sandbox,
      TributaryProperties properties,
      EgressPolicy egress) {
    this.definitions = load(json);
    this.externals = externals;
    this.json = json;
    // TRIBUTARY_LOCAL_ROOT, else the data dir's local/; each organization gets a directory of its
    // own inside
    Path local = localRoot.isBlank() ? properties.dataDir().resolve("local") : Path.of(localRoot);
    this.builtIns = new BuiltInFactory(local, egress);
    Sandbox confined =
        ConnectorSandbox.choose(
            sandbox,
            List.of(
                properties.dataDir(),
                local,
                Path.of(System.getProperty("java.io.tmpdir")),
                Path.of(System.getProperty("user.home"))));
    // a package's install runs its build code: as much someone else's as the connector
    var environments =
        new PythonEnvironments(
            properties.dataDir().resolve("connectors").resolve("python"),
            python,
            Duration.ofMinutes(15),
            confined);
    this.commands =
        new CommandFactory(
            externalTimeout,
            egress,
            new PythonLaunches(environments, cdkVersion, customCode),
            CommandFactory.environment(connectorEnvironment),
            confined);
  }

  /**
   * Built-in connectors and those the instance admin registered or installed (an installed one
   * replaces the built-in of the same id).
   */
  public List<ConnectorDefinition> all(ConnectorType type) {
    Map<UUID, ConnectorDefinition> all = new LinkedHashMap<>(definitions);
    externals.findAll().forEach(external -> all.put(external.definitionId(), definition(external)));
    return all.values().stream()
        .filter(definition -> definition.type() == type)
        .sorted(Comparator.comparing(ConnectorDefinition::name, String.CASE_INSENSITIVE_ORDER))
        .toList();
  }

  public Optional<ConnectorDefinition> find(ConnectorType type, UUID id) {
    return find(type, externals.find(id), id);
  }

  /**
   * Like {@link #find}, and keeps an external connector from being removed until the caller's
   * transaction ends: for making a template of it. A removal under way is waited for.
   */
  public Optional<ConnectorDefinition> findHeld(ConnectorType type, UUID id) {
    return find(type, externals.findHeld(id), id);
  }

  private Optional<ConnectorDefinition> find(
      ConnectorType type, Optional<ExternalConnector> external, UUID id) {
    return external
        .map(this::definition)
        .or(() -> Optional.ofNullable(definitions.get(id)))
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
    var runtime = new ConnectorRuntime.Command(command);
    var spec =
        type == ConnectorType.SOURCE
            ? commands.source(runtime).spec()
            : commands.destination(runtime).spec();
    var external =
        new ExternalConnector(
            definitionId,
            type,
            name,
            runtime,
            ExternalConnector.Metadata.NONE,
            json.valueToTree(spec),
            Instant.now());
    externals.insert(external);
    return definition(external);
  }

  /** The built-in definition with this id, if there is one. */
  Optional<ConnectorDefinition> builtIn(UUID id) {
    return Optional.ofNullable(definitions.get(id));
  }

  /** The registered or installed connector with this id, if there is one. */
  Optional<ExternalConnector> external(UUID id) {
    return externals.find(id);
  }

  /** Stores an installed connector, or replaces the one it upgrades. */
  ConnectorDefinition save(ExternalConnector installed) {
    if (!externals.update(installed)) {
      externals.insert(installed);
    }
    forget(installed.definitionId());
    return definition(installed);
  }

  /**
   * What connector runs of servers that died left behind (working directories holding decrypted
   * configurations) is removed once this one is up.
   */
  @EventListener(ApplicationReadyEvent.class)
  void removeRunsLeftBehind() {
    WorkingDirectories.removeLeftBehind(Path.of(System.getProperty("java.io.tmpdir")));
  }

  CommandFactory commands() {
    return commands;
  }

  /**
   * Removes an external connector. One that live templates, sources or destinations still run is
   * refused: every organization lists its templates through their connector, and syncs run it.
   */
  @Transactional
  public void unregister(UUID id) {
    if (!externals.deleteUnused(id)) {
      if (externals.find(id).isEmpty()) {
        throw new NotFoundException("External connector", id);
      }
      throw new ConflictException(
          "The connector is used by live templates, sources or destinations; delete them before"
              + " removing it");
    }
    forget(id);
  }

  private void forget(UUID id) {
    sources.keySet().removeIf(instance -> instance.definitionId().equals(id));
    destinations.keySet().removeIf(instance -> instance.definitionId().equals(id));
  }

  private ConnectorDefinition definition(ExternalConnector external) {
    var about = external.metadata();
    String image =
        switch (external.runtime()) {
          // a command line may hold what its admin passed it (a token in an environment flag):
          // every organization lists definitions, so only the admin's views show it
          case ConnectorRuntime.Command command -> "custom";
          case ConnectorRuntime.PythonPackage pkg -> pkg.version();
          case ConnectorRuntime.Manifest manifest ->
              manifest.manifest().path("version").asString("");
          case ConnectorRuntime.BuiltIn builtIn -> "";
        };
    return new ConnectorDefinition(
        external.definitionId(),
        external.type(),
        external.name(),
        about.dockerRepository() != null ? about.dockerRepository() : "external",
        image,
        "custom",
        about.license() != null ? about.license() : "unknown",
        about.documentationUrl(),
        about.iconUrl(),
        List.of(),
        external.spec(),
        external.runtime());
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
    return cached(
        sources,
        key(definition, organizationId),
        () ->
            definition.runtime() instanceof ConnectorRuntime.BuiltIn builtIn
                ? builtIns.source(definition, builtIn, organizationId)
                : commands.source(definition));
  }

  /** The running connector for a destination definition, for one organization. */
  public Destination destinationConnector(ConnectorDefinition definition, UUID organizationId) {
    requireType(definition, ConnectorType.DESTINATION);
    return cached(
        destinations,
        key(definition, organizationId),
        () ->
            definition.runtime() instanceof ConnectorRuntime.BuiltIn builtIn
                ? builtIns.destination(definition, builtIn, organizationId)
                : commands.destination(definition));
  }

  private static <C> C cached(Map<Instance, C> built, Instance key, Supplier<C> build) {
    C found = built.get(key);
    if (found != null) {
      return found;
    }
    // what the definition ran before it was upgraded is not run again
    built
        .keySet()
        .removeIf(
            other ->
                other.definitionId().equals(key.definitionId())
                    && !other.runtime().equals(key.runtime()));
    return built.computeIfAbsent(key, k -> build.get());
  }

  private static Instance key(ConnectorDefinition definition, UUID organizationId) {
    // a child process gets no local directory: one instance serves everyone
    boolean process = !(definition.runtime() instanceof ConnectorRuntime.BuiltIn);
    return new Instance(
        definition.definitionId(),
        process ? null : Objects.requireNonNull(organizationId),
        definition.runtime());
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
                  node.path("icon_url").asString(null),
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
