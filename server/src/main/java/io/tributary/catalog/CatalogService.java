package io.tributary.catalog;

import io.tributary.auth.Caller;
import io.tributary.common.NotFoundException;
import io.tributary.common.RefusedException;
import io.tributary.job.Job;
import io.tributary.job.JobQueue;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
import io.tributary.source.ConnectorCalls;
import io.tributary.source.SourceRecord;
import io.tributary.source.SourceService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A source's catalog (discovered, cached) and the streams it syncs. */
@Service
public class CatalogService {

  private final SourceService sources;
  private final CatalogRepository catalogs;
  private final JsonMapper json;
  private final JobQueue jobs;
  private final Clock clock;

  CatalogService(
      SourceService sources,
      CatalogRepository catalogs,
      JsonMapper json,
      JobQueue jobs,
      Clock clock) {
    this.sources = sources;
    this.catalogs = catalogs;
    this.json = json;
    this.jobs = jobs;
    this.clock = clock;
  }

  /** The cached catalog, discovered now when there is none or {@code refresh} asks for it. */
  public CatalogRepository.StoredCatalog catalog(Caller caller, UUID sourceId, boolean refresh) {
    SourceRecord source = sources.access(caller, sourceId);
    if (!refresh) {
      var cached = catalogs.catalog(source.id());
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    return rediscover(source);
  }

  public CatalogRepository.StoredCatalog rediscover(SourceRecord source) {
    AirbyteCatalog catalog = discover(source);
    Instant now = clock.instant();
    catalogs.saveCatalog(source.id(), catalog, now);
    return new CatalogRepository.StoredCatalog(catalog, now);
  }

  private AirbyteCatalog discover(SourceRecord source) {
    var config = sources.effectiveConfig(source);
    return ConnectorCalls.within(
        sources.discoverTimeout(),
        "Discovering the source's streams",
        () ->
            sources
                .connector(source)
                .discover(config, sources.storesReplacedConfig(source, config)));
  }

  /**
   * Discovers in the background, for catalogs too large to discover within one request. A cancelled
   * job keeps the catalog stored before it.
   */
  public Job discoverLater(Caller caller, UUID sourceId) {
    SourceRecord source = sources.access(caller, sourceId);
    return jobs.startDiscover(
        source.organizationId(),
        source.workspaceId(),
        source.id(),
        () -> discover(source),
        catalog -> catalogs.saveCatalog(source.id(), catalog, clock.instant()));
  }

  public JsonNode query(Caller caller, UUID sourceId, String expression) {
    AirbyteCatalog catalog = catalog(caller, sourceId, false).catalog();
    return JmesPathQuery.evaluate(expression, json.valueToTree(catalog), json);
  }

  public List<StreamConfig> streams(Caller caller, UUID sourceId) {
    return catalogs.streams(sources.access(caller, sourceId).id());
  }

  /** A stream of the catalog with its sync configuration when it is selected. */
  public StreamDetail stream(Caller caller, UUID sourceId, String name) {
    SourceRecord source = sources.access(caller, sourceId);
    AirbyteStream stream = catalogStream(source, name);
    return new StreamDetail(stream, catalogs.stream(source.id(), name).orElse(null));
  }

  /** Selects a stream, or replaces its configuration; true when newly selected. */
  public Selected select(
      Caller caller,
      UUID sourceId,
      String name,
      String syncMode,
      String destinationSyncMode,
      List<String> cursorField,
      List<List<String>> primaryKey) {
    SourceRecord source = sources.access(caller, sourceId);
    AirbyteStream stream = catalogStream(source, name);
    if (!sources.selectable(source, name)) {
      throw new RefusedException(
          "Stream '" + name + "' is not one of the streams this source's template offers");
    }
    StreamConfig config =
        StreamRules.configure(stream, syncMode, destinationSyncMode, cursorField, primaryKey);
    StreamRules.requireUsed(config, cursorField, primaryKey);
    boolean created = catalogs.saveStream(source.id(), config, clock.instant());
    return new Selected(config, created);
  }

  /** Applies an RFC 6902 patch to a selected stream's configuration, then validates the result. */
  public StreamConfig patch(Caller caller, UUID sourceId, String name, JsonNode patch) {
    SourceRecord source = sources.access(caller, sourceId);
    AirbyteStream stream = catalogStream(source, name);
    StreamConfig current =
        catalogs.stream(source.id(), name)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "Stream",
                        name,
                        "Stream '" + name + "' is not selected for this source; add it first"));
    ObjectNode document = json.createObjectNode();
    document.put("sync_mode", current.syncMode().value());
    document.put("destination_sync_mode", current.destinationSyncMode().value());
    document.set("cursor_field", json.valueToTree(current.cursorField()));
    document.set("primary_key", json.valueToTree(current.primaryKey()));
    ObjectNode patched = StreamPatch.apply(patch, document);
    Set<String> touched = StreamPatch.members(patch);
    String syncMode = text(patched, "sync_mode");
    String destinationSyncMode = text(patched, "destination_sync_mode");
    if (touched.contains("sync_mode")
        && !touched.contains("destination_sync_mode")
        && !StreamRules.compatible(syncMode, destinationSyncMode)) {
      // as when a stream is added: a new sync mode without a destination mode gets one that goes
      // with it
      destinationSyncMode = null;
    }
    StreamConfig config =
        StreamRules.configure(
            stream,
            syncMode,
            destinationSyncMode,
            fieldPath(patched.get("cursor_field"), "cursor_field"),
            key(patched.get("primary_key")));
    StreamRules.requireUsed(
        config,
        touched.contains("cursor_field")
            ? fieldPath(patched.get("cursor_field"), "cursor_field")
            : null,
        touched.contains("primary_key") ? key(patched.get("primary_key")) : null);
    catalogs.saveStream(source.id(), config, clock.instant());
    return config;
  }

  public void remove(Caller caller, UUID sourceId, String name) {
    SourceRecord source = sources.access(caller, sourceId);
    catalogStream(source, name);
    if (!catalogs.removeStream(source.id(), name)) {
      throw new NotFoundException(
          "Stream", name, "Stream '" + name + "' is not selected for this source");
    }
  }

  private AirbyteStream catalogStream(SourceRecord source, String name) {
    AirbyteCatalog catalog =
        catalogs
            .catalog(source.id())
            .map(CatalogRepository.StoredCatalog::catalog)
            .orElseGet(() -> rediscover(source).catalog());
    return catalog.stream(name)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "Stream", name, "Stream '" + name + "' not found in source catalog"));
  }

  private static String text(JsonNode document, String field) {
    JsonNode value = document.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new RefusedException(field + " must be a string");
    }
    return value.asString();
  }

  /** A field path: a list of names, e.g. {@code ["updated_at"]}. */
  private static List<String> fieldPath(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray() || !value.valueStream().allMatch(JsonNode::isString)) {
      throw new RefusedException(field + " must be a list of field names, e.g. [\"updated_at\"]");
    }
    return value.valueStream().map(JsonNode::asString).toList();
  }

  /** A primary key: a list of field paths, e.g. {@code [["id"]]}. */
  private static List<List<String>> key(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw new RefusedException("primary_key must be a list of field paths, e.g. [[\"id\"]]");
    }
    if (value.valueStream().anyMatch(path -> !path.isArray())) {
      throw new RefusedException("primary_key must be a list of field paths, e.g. [[\"id\"]]");
    }
    return value.valueStream().map(path -> fieldPath(path, "primary_key")).toList();
  }

  public record StreamDetail(AirbyteStream stream, StreamConfig config) {}

  public record Selected(StreamConfig config, boolean created) {}
}
