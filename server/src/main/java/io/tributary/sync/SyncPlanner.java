package io.tributary.sync;

import io.tributary.auth.TenantScope;
import io.tributary.catalog.CatalogRepository;
import io.tributary.catalog.CatalogService;
import io.tributary.catalog.StreamConfig;
import io.tributary.connection.ConnectionRecord;
import io.tributary.connectiontemplate.ConnectionTemplate;
import io.tributary.connectiontemplate.ConnectionTemplateRepository;
import io.tributary.connectiontemplate.NonBreakingChangesPreference;
import io.tributary.connector.ConnectorException;
import io.tributary.connector.WriteTarget;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.engine.StreamPlan;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import io.tributary.secret.ConfigSecrets;
import io.tributary.source.SourceRecord;
import io.tributary.source.SourceRepository;
import io.tributary.source.SourceService;
import io.tributary.workspace.Workspace;
import io.tributary.workspace.WorkspaceRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a connection into what the engine runs: the source's effective configuration, the
 * destination's (its template's, read now), and one plan per selected stream, named by the
 * template's namespace format and prefix.
 */
@Component
class SyncPlanner {

  private final SourceRepository sources;
  private final CatalogService discovery;
  private final SourceService sourceService;
  private final CatalogRepository catalogs;
  private final ConnectionTemplateRepository templates;
  private final WorkspaceRepository workspaces;
  private final ConnectorRegistry registry;
  private final ConfigSecrets secrets;

  SyncPlanner(
      SourceRepository sources,
      SourceService sourceService,
      CatalogRepository catalogs,
      ConnectionTemplateRepository templates,
      WorkspaceRepository workspaces,
      ConnectorRegistry registry,
      ConfigSecrets secrets,
      CatalogService discovery) {
    this.discovery = discovery;
    this.sources = sources;
    this.sourceService = sourceService;
    this.catalogs = catalogs;
    this.templates = templates;
    this.workspaces = workspaces;
    this.registry = registry;
    this.secrets = secrets;
  }

  record Plan(
      io.tributary.connector.Source source,
      ObjectNode sourceConfig,
      io.tributary.connector.Destination destination,
      ObjectNode destinationConfig,
      List<StreamPlan> streams,
      Workspace workspace,
      List<String> missingStreams,
      NonBreakingChangesPreference preference,
      SourceRecord sourceRecord) {}

  /**
   * Where a stream's state is kept: per connection, so each of a source's connections advances on
   * its own.
   */
  static String stateKey(UUID connectionId, String namespace, String stream) {
    return connectionId + "/" + (namespace == null ? "" : namespace + ".") + stream;
  }

  /** The state keys of the connection's selected incremental streams, by stream name. */
  Map<String, String> incrementalStateKeys(ConnectionRecord connection) {
    Map<String, String> keys = new LinkedHashMap<>();
    AirbyteCatalog catalog =
        catalogs.catalog(connection.sourceId()).map(c -> c.catalog()).orElse(null);
    for (StreamConfig config : catalogs.streams(connection.sourceId())) {
      AirbyteStream stream =
          catalog == null ? null : catalog.stream(config.streamName()).orElse(null);
      if (stream != null && config.syncMode() == SyncMode.INCREMENTAL) {
        keys.put(stream.name(), stateKey(connection.id(), stream.namespace(), stream.name()));
      }
    }
    return keys;
  }

  /**
   * Discovers the source again when its catalog is older than {@code maxAge}, so schema changes are
   * seen before the sync reads. Empty when the catalog was fresh; a failed discover leaves the
   * stored catalog in use.
   */
  Optional<String> rediscoverIfOlder(ConnectionRecord connection, Duration maxAge, Instant now) {
    var discovered = catalogs.discoveredAt(connection.sourceId());
    if (discovered.isPresent() && discovered.get().isAfter(now.minus(maxAge))) {
      return Optional.empty();
    }
    SourceRecord source =
        sources
            .findLive(
                TenantScope.wholeOrganization(connection.organizationId()), connection.sourceId())
            .orElse(null);
    if (source == null) {
      return Optional.empty();
    }
    try {
      discovery.rediscover(source);
      return Optional.of("Discovered the source's schema again");
    } catch (ConnectorException e) {
      return Optional.of(
          "Could not discover the source's schema again ("
              + e.getMessage()
              + "); using the stored one");
    }
  }

  Plan plan(ConnectionRecord connection) {
    SourceRecord source =
        sources
            .findLive(
                TenantScope.wholeOrganization(connection.organizationId()), connection.sourceId())
            .orElseThrow(() -> new IllegalStateException("The connection's source was deleted"));
    ConnectionTemplate template =
        templates
            .findAny(connection.organizationId(), connection.connectionTemplateId())
            .orElseThrow();
    Workspace workspace =
        workspaces
            .findLive(connection.organizationId(), connection.workspaceId())
            .orElseThrow(() -> new IllegalStateException("The connection's workspace was deleted"));
    AirbyteCatalog catalog =
        catalogs
            .catalog(source.id())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "The source has no catalog yet: discover its schema first"))
            .catalog();
    List<StreamPlan> plans = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (StreamConfig config : catalogs.streams(source.id())) {
      AirbyteStream stream = catalog.stream(config.streamName()).orElse(null);
      if (stream == null) {
        missing.add(config.streamName());
        continue;
      }
      String namespace =
          template
              .namespaceFormat()
              .replace("${WORKSPACE_NAME}", workspace.name())
              .replace("${WORKSPACE_ID}", workspace.id().toString())
              .replace("${SOURCE_NAMESPACE}", stream.namespace() == null ? "" : stream.namespace());
      String name = template.prefix() + stream.name();
      var read =
          new ConfiguredAirbyteStream(
              stream,
              config.syncMode(),
              config.destinationSyncMode(),
              config.cursorField(),
              config.primaryKey());
      var write =
          new WriteTarget(
              namespace.isBlank() ? null : namespace,
              name,
              StreamSchema.fields(stream.jsonSchema()),
              config.destinationSyncMode(),
              config.primaryKey(),
              config.cursorField(),
              stateKey(connection.id(), stream.namespace(), stream.name()));
      plans.add(new StreamPlan(read, write));
    }
    var destinationDefinition = registry.destination(template.destinationDefinitionId());
    return new Plan(
        sourceService.connector(source),
        sourceService.effectiveConfig(source),
        registry.destinationConnector(destinationDefinition, connection.organizationId()),
        secrets.open(template.destinationConfig(), template.secretContext()),
        plans,
        workspace,
        missing,
        template.nonBreakingChangesPreference(),
        source);
  }
}
