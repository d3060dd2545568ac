package io.tributary.definition;

import io.tributary.common.ConflictException;
import io.tributary.common.NotFoundException;
import io.tributary.common.ValidationException;
import io.tributary.connector.ConnectorException;
import io.tributary.connectors.external.ConnectorLaunch;
import io.tributary.connectors.external.ExternalDestination;
import io.tributary.connectors.external.ExternalSource;
import io.tributary.connectors.python.PythonInstallException;
import io.tributary.definition.AirbyteRegistryIndex.Entry;
import io.tributary.definition.ExternalConnectorRepository.ExternalConnector;
import io.tributary.definition.ExternalConnectorRepository.ExternalConnector.Metadata;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Installs Airbyte's connectors by name: {@code source-faker} or {@code source-faker@7.2.1} through
 * Airbyte's registry, {@code airbyte-source-faker==7.2.1} straight from PyPI, or a declarative
 * manifest. What can be decided from the request alone (the name resolves, the id is free) is
 * answered at once; the install itself (pip, the connector's own spec) runs in the background, one
 * at a time per node, recorded in an install the admin polls. A failed install leaves no definition
 * and no environment behind.
 */
@Service
public class ConnectorInstaller {

  private static final Logger log = LoggerFactory.getLogger(ConnectorInstaller.class);

  private static final Pattern PYPI =
      Pattern.compile("(airbyte-(source|destination)-[a-z0-9][a-z0-9-]*)(?:==([^=\\s]+))?");
  private static final Pattern REGISTRY =
      Pattern.compile("(?:airbyte/)?((source|destination)-[a-z0-9][a-z0-9-]*)(?:@(\\S+))?");

  private final ConnectorRegistry registry;
  private final AirbyteRegistryIndex index;
  private final ConnectorInstallRepository installs;
  private final ManifestReader manifests;
  private final Clock clock;
  private final JsonMapper json;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("connector-install").factory());

  ConnectorInstaller(
      ConnectorRegistry registry,
      AirbyteRegistryIndex index,
      ConnectorInstallRepository installs,
      ManifestReader manifests,
      Clock clock,
      JsonMapper json) {
    this.registry = registry;
    this.index = index;
    this.installs = installs;
    this.manifests = manifests;
    this.clock = clock;
    this.json = json;
  }

  /**
   * What to install.
   *
   * @param name a registry name ({@code source-faker}, optionally {@code @version}), a PyPI package
   *     ({@code airbyte-source-faker==7.2.1}), or, with a manifest, the connector's display name
   * @param version the version, when the name does not carry it
   * @param manifest a declarative manifest: its YAML (or JSON) text, or an https URL to it
   * @param components the manifest's custom Python components ({@code components.py})
   * @param definitionId the id to install under instead of the registry's (a new one when neither
   *     gives one)
   * @param replace whether it may take the id of a built-in connector, replacing it
   */
  public record Request(
      String name,
      String version,
      String manifest,
      String components,
      UUID definitionId,
      boolean replace) {}

  /** What an install will store, decided before it starts. */
  private record Plan(
      ConnectorType type,
      UUID definitionId,
      String name,
      String version,
      ConnectorRuntime runtime,
      Metadata metadata) {}

  /** Checks the request, then starts the install in the background. */
  public ConnectorInstall install(Request request) {
    Plan plan = plan(request);
    Optional<ConnectorDefinition> builtIn = registry.builtIn(plan.definitionId());
    if (builtIn.isPresent() && !request.replace()) {
      throw new ConflictException(
          "Definition id "
              + plan.definitionId()
              + " is the built-in connector "
              + builtIn.get().name()
              + "; install with \"replace\": true to run this one instead");
    }
    if (registry.external(plan.definitionId()).isPresent()) {
      throw new ConflictException(
          "A connector with definition id "
              + plan.definitionId()
              + " is already installed; upgrade or remove it");
    }
    return start(plan, null);
  }

  /**
   * Moves an installed Python connector to another version, a manifest connector to a new manifest,
   * or reads a registered command's spec again.
   */
  public ConnectorInstall upgrade(UUID definitionId, String version, String manifest) {
    ExternalConnector current =
        registry
            .external(definitionId)
            .orElseThrow(() -> new NotFoundException("Installed connector", definitionId));
    ConnectorRuntime runtime =
        switch (current.runtime()) {
          case ConnectorRuntime.PythonPackage pkg -> {
            String wanted = version;
            if (wanted == null) {
              wanted =
                  index
                      .findPackage(pkg.packageName())
                      .map(Entry::version)
                      .orElseThrow(
                          () ->
                              ValidationException.field(
                                  "version",
                                  "the registry does not list "
                                      + pkg.packageName()
                                      + "; name the version",
                                  "value_error.missing"));
            }
            yield new ConnectorRuntime.PythonPackage(pkg.packageName(), wanted, null);
          }
          case ConnectorRuntime.Manifest old -> {
            if (manifest == null) {
              throw ValidationException.field(
                  "manifest",
                  "an upgrade of a manifest connector needs the new manifest",
                  "value_error.missing");
            }
            yield new ConnectorRuntime.Manifest(manifests.read(manifest), old.components());
          }
          // the command may run something newer now (an image tag that moved): its spec is read
          // again
          case ConnectorRuntime.Command command -> command;
          case ConnectorRuntime.BuiltIn builtIn ->
              throw new IllegalStateException("A built-in connector is not installed");
        };
    Plan plan =
        new Plan(
            current.type(),
            definitionId,
            current.name(),
            version(runtime),
            runtime,
            current.metadata());
    return start(plan, current);
  }

  public ConnectorInstall get(UUID installId) {
    return installs
        .find(installId)
        .orElseThrow(() -> new NotFoundException("Connector install", installId));
  }

  /** Removes an installed or registered connector, and its Python environment. */
  public void remove(UUID definitionId) {
    Optional<ExternalConnector> removed = registry.external(definitionId);
    registry.unregister(definitionId);
    if (removed.isPresent()
        && removed.get().runtime() instanceof ConnectorRuntime.PythonPackage pkg) {
      removeEnvironmentUnlessUsed(pkg);
    }
  }

  /**
   * Removes a package version's environment unless a definition still runs it: two definitions of
   * one package version share it, whatever their entry points.
   */
  private void removeEnvironmentUnlessUsed(ConnectorRuntime.PythonPackage pkg) {
    boolean used =
        Stream.of(ConnectorType.SOURCE, ConnectorType.DESTINATION)
            .flatMap(type -> registry.all(type).stream())
            .anyMatch(
                d ->
                    d.runtime() instanceof ConnectorRuntime.PythonPackage other
                        && other.packageName().equalsIgnoreCase(pkg.packageName())
                        && other.version().equals(pkg.version()));
    if (!used) {
      registry.commands().python().environments().remove(pkg.packageName(), pkg.version());
    }
  }

  /** Installs that a stopped server left unfinished will never finish: they say so. */
  @EventListener(ApplicationReadyEvent.class)
  void failInterrupted() {
    Instant now = clock.instant();
    installs.failUnfinished(now.minus(Duration.ofMinutes(30)), now);
  }

  @PreDestroy
  void stop() {
    worker.shutdownNow();
  }

  private ConnectorInstall start(Plan plan, ExternalConnector upgraded) {
    ConnectorInstall install =
        installs.create(plan.name(), plan.version(), plan.definitionId(), clock.instant());
    worker.submit(() -> run(install.id(), plan, upgraded));
    return install;
  }

  private void run(UUID installId, Plan plan, ExternalConnector upgraded) {
    installs.running(installId);
    InstallLog progress = new InstallLog(installId);
    try {
      progress.accept("Installing " + describe(plan.runtime()));
      CommandFactory commands = registry.commands();
      ConnectorLaunch launch = commands.launch(plan.runtime(), progress);
      progress.accept("Asking the connector for its spec");
      var spec =
          plan.type() == ConnectorType.SOURCE
              ? new ExternalSource(launch, commands.timeout(), commands.egress()).spec()
              : new ExternalDestination(launch, commands.timeout(), commands.egress()).spec();
      if (spec.connectionSpecification() == null) {
        throw new IllegalStateException("The connector's spec has no connectionSpecification");
      }
      ConnectorRuntime runtime = resolvedEntryPoint(plan.runtime(), launch);
      registry.save(
          new ExternalConnector(
              plan.definitionId(),
              plan.type(),
              plan.name(),
              runtime,
              plan.metadata(),
              (ObjectNode) json.valueToTree(spec),
              upgraded != null ? upgraded.createdAt() : clock.instant()));
      progress.flush();
      installs.succeeded(installId, plan.definitionId(), clock.instant());
      if (upgraded != null
          && upgraded.runtime() instanceof ConnectorRuntime.PythonPackage old
          && !old.version().equals(version(runtime))) {
        removeEnvironmentUnlessUsed(old);
      }
      log.info("Installed {} as {}", plan.name(), plan.definitionId());
    } catch (PythonInstallException | ConnectorException | IllegalStateException e) {
      fail(installId, plan, progress, e.getMessage(), upgraded == null);
    } catch (RuntimeException e) {
      log.warn("Install of {} failed", plan.name(), e);
      fail(installId, plan, progress, e.toString(), upgraded == null);
    }
  }

  private void fail(
      UUID installId, Plan plan, InstallLog progress, String reason, boolean removeEnvironment) {
    progress.accept("Failed: " + reason);
    progress.flush();
    if (removeEnvironment && plan.runtime() instanceof ConnectorRuntime.PythonPackage pkg) {
      removeEnvironmentUnlessUsed(pkg);
    }
    installs.failed(installId, reason, clock.instant());
  }

  /** A package's entry point as the install found it, so every node runs the same command. */
  private static ConnectorRuntime resolvedEntryPoint(
      ConnectorRuntime runtime, ConnectorLaunch launch) {
    if (runtime instanceof ConnectorRuntime.PythonPackage pkg && pkg.entryPoint() == null) {
      String executable = launch.command().getFirst();
      return new ConnectorRuntime.PythonPackage(
          pkg.packageName(), pkg.version(), executable.substring(executable.lastIndexOf('/') + 1));
    }
    return runtime;
  }

  private Plan plan(Request request) {
    String name = request.name() == null ? "" : request.name().strip();
    if (request.manifest() != null) {
      return manifestPlan(request, name);
    }
    if (request.components() != null) {
      throw ValidationException.field(
          "components", "custom components belong to a manifest", "value_error");
    }
    Matcher pypi = PYPI.matcher(name.toLowerCase(Locale.ROOT));
    if (pypi.matches()) {
      String version = pinned(pypi.group(3), request.version());
      if (version == null) {
        throw ValidationException.field(
            "version",
            "a PyPI package needs its exact version (" + pypi.group(1) + "==1.2.3)",
            "value_error.missing");
      }
      Optional<Entry> known = registryEntry(() -> index.findPackage(pypi.group(1)));
      return new Plan(
          ConnectorType.valueOf(pypi.group(2).toUpperCase(Locale.ROOT)),
          request.definitionId() != null
              ? request.definitionId()
              : known.map(Entry::definitionId).orElseGet(UUID::randomUUID),
          known.map(Entry::displayName).orElse(displayName(pypi.group(1))),
          version,
          new ConnectorRuntime.PythonPackage(pypi.group(1), version, null),
          known.map(ConnectorInstaller::metadata).orElse(Metadata.NONE));
    }
    Matcher named = REGISTRY.matcher(name.toLowerCase(Locale.ROOT));
    if (!named.matches()) {
      throw ValidationException.field(
          "name",
          "name a connector like source-faker, source-faker@7.2.1 or airbyte-source-faker==7.2.1,"
              + " or give a manifest",
          "value_error");
    }
    Entry entry =
        index
            .find(named.group(1))
            .orElseThrow(
                () ->
                    ValidationException.field(
                        "name",
                        "no connector named "
                            + named.group(1)
                            + " in the registry at "
                            + index.location(),
                        "value_error.unknown_connector"));
    String version = pinned(named.group(3), request.version());
    if (version == null) {
      version = entry.version();
    }
    ConnectorRuntime runtime;
    if (entry.pypiPackage() != null) {
      runtime = new ConnectorRuntime.PythonPackage(entry.pypiPackage(), version, null);
    } else if (entry.manifestOnly()) {
      runtime = new ConnectorRuntime.Manifest(manifests.fromRegistry(index, entry, version), null);
    } else {
      throw ValidationException.field(
          "name",
          entry.name()
              + " is published only as a Docker image; register it with its command instead"
              + " (docker run --rm -i "
              + entry.dockerRepository()
              + ":"
              + version
              + ")",
          "value_error");
    }
    UUID definitionId =
        request.definitionId() != null ? request.definitionId() : entry.definitionId();
    return new Plan(
        entry.type(), definitionId, entry.displayName(), version, runtime, metadata(entry));
  }

  private Plan manifestPlan(Request request, String name) {
    if (name.isEmpty()) {
      throw ValidationException.field(
          "name", "a manifest connector needs a display name", "value_error.missing");
    }
    ObjectNode manifest = manifests.read(request.manifest());
    boolean custom = request.components() != null || ManifestReader.usesCustomComponents(manifest);
    if (custom && !registry.commands().python().customCode()) {
      throw ValidationException.field(
          request.components() != null ? "components" : "manifest",
          "this manifest runs custom Python code, which this instance does not allow"
              + " (set TRIBUTARY_ALLOW_CUSTOM_CONNECTOR_CODE=true to allow it)",
          "value_error.custom_code");
    }
    var runtime = new ConnectorRuntime.Manifest(manifest, request.components());
    return new Plan(
        ConnectorType.SOURCE,
        idOrNew(request),
        name,
        version(runtime),
        runtime,
        new Metadata(
            null,
            null,
            manifest.path("spec").path("documentation_url").asString(null),
            null,
            "manifest-only"));
  }

  /** The registry is optional for a PyPI name: it only adds an id and the connector's metadata. */
  private static Optional<Entry> registryEntry(
      java.util.function.Supplier<Optional<Entry>> lookup) {
    try {
      return lookup.get();
    } catch (RuntimeException unavailable) {
      return Optional.empty();
    }
  }

  private static String pinned(String inName, String requested) {
    if (inName != null && requested != null && !inName.equals(requested)) {
      throw ValidationException.field(
          "version", "the name pins " + inName + " but version says " + requested, "value_error");
    }
    return inName != null ? inName : requested;
  }

  private static UUID idOrNew(Request request) {
    return request.definitionId() != null ? request.definitionId() : UUID.randomUUID();
  }

  private static Metadata metadata(Entry entry) {
    return new Metadata(
        entry.dockerRepository(),
        entry.iconUrl(),
        entry.documentationUrl(),
        entry.license(),
        entry.language());
  }

  /** {@code airbyte-source-google-sheets} → {@code Google Sheets}. */
  private static String displayName(String packageName) {
    List<String> words = new ArrayList<>();
    for (String word : packageName.replaceFirst("^airbyte-(source|destination)-", "").split("-")) {
      words.add(word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
    }
    return String.join(" ", words);
  }

  private static String version(ConnectorRuntime runtime) {
    return switch (runtime) {
      case ConnectorRuntime.PythonPackage pkg -> pkg.version();
      case ConnectorRuntime.Manifest manifest -> manifest.manifest().path("version").asString(null);
      default -> null;
    };
  }

  private String describe(ConnectorRuntime runtime) {
    return switch (runtime) {
      case ConnectorRuntime.PythonPackage pkg ->
          pkg.packageName() + "==" + pkg.version() + " from PyPI";
      case ConnectorRuntime.Manifest manifest ->
          "a declarative manifest on airbyte-cdk " + registry.commands().python().cdkVersion();
      default -> runtime.kind();
    };
  }

  /** Collects an install's output and writes it to its record every few lines. */
  private final class InstallLog implements Consumer<String> {
    private final UUID installId;
    private final StringBuilder pending = new StringBuilder();
    private long lastWrite = System.nanoTime();

    InstallLog(UUID installId) {
      this.installId = installId;
    }

    @Override
    public synchronized void accept(String line) {
      pending.append(line).append('\n');
      if (System.nanoTime() - lastWrite > Duration.ofSeconds(1).toNanos()) {
        flush();
      }
    }

    synchronized void flush() {
      if (!pending.isEmpty()) {
        installs.log(installId, pending.toString());
        pending.setLength(0);
      }
      lastWrite = System.nanoTime();
    }
  }
}
