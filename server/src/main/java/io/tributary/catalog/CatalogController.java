package io.tributary.catalog;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Caller;
import io.tributary.job.JobStatus;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.SyncMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** A source's catalog and streams (notes §5), for end users and operators alike. */
@RestController
@Tag(name = "Streams")
class CatalogController {

  private static final String BASE = "/api/v1/integrations/sources/{sourceId}";

  private final CatalogService catalogs;

  CatalogController(CatalogService catalogs) {
    this.catalogs = catalogs;
  }

  @GetMapping(BASE + "/discover")
  @Operation(summary = "The source's catalog, from the cache unless refresh=true")
  DiscoverResponse discover(
      Caller caller,
      @PathVariable UUID sourceId,
      @RequestParam(defaultValue = "false") boolean refresh) {
    var stored = catalogs.catalog(caller, sourceId, refresh);
    return new DiscoverResponse(stored.catalog(), stored.discoveredAt());
  }

  @PostMapping(BASE + "/discover")
  @Operation(
      summary =
          "Discover in the background (for large catalogs): 202 with the job to poll at /api/v1/jobs/{id}")
  ResponseEntity<DiscoverJob> discoverLater(Caller caller, @PathVariable UUID sourceId) {
    var job = catalogs.discoverLater(caller, sourceId);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(new DiscoverJob(job.id(), job.status()));
  }

  @PostMapping(BASE + "/catalog/query")
  @Operation(summary = "Evaluate a JMESPath expression over the catalog")
  JsonNode query(
      Caller caller, @PathVariable UUID sourceId, @Valid @RequestBody QueryRequest request) {
    return catalogs.query(caller, sourceId, request.jmesQuery());
  }

  @GetMapping(BASE + "/streams")
  @Operation(summary = "The streams this source syncs")
  StreamList streams(Caller caller, @PathVariable UUID sourceId) {
    return new StreamList(catalogs.streams(caller, sourceId).stream().map(StreamView::of).toList());
  }

  @GetMapping(BASE + "/streams/{streamName}")
  @Operation(summary = "A stream of the catalog, with its sync configuration when selected")
  StreamDetailView stream(
      Caller caller, @PathVariable UUID sourceId, @PathVariable String streamName) {
    var detail = catalogs.stream(caller, sourceId, streamName);
    var s = detail.stream();
    return new StreamDetailView(
        s.name(),
        s.namespace(),
        s.jsonSchema(),
        s.supportedSyncModes(),
        s.sourceDefinedCursor(),
        s.defaultCursorField(),
        s.sourceDefinedPrimaryKey(),
        detail.config() != null,
        detail.config() == null ? null : StreamView.of(detail.config()));
  }

  @PostMapping(BASE + "/streams")
  @Operation(
      summary = "Select a stream (201), or replace the configuration of a selected one (200)")
  ResponseEntity<StreamView> addStream(
      Caller caller, @PathVariable UUID sourceId, @Valid @RequestBody AddStreamRequest r) {
    var selected =
        catalogs.select(
            caller,
            sourceId,
            r.streamName(),
            r.syncMode(),
            r.destinationSyncMode(),
            r.cursorField(),
            r.primaryKey());
    return ResponseEntity.status(selected.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(StreamView.of(selected.config()));
  }

  @PatchMapping(
      value = BASE + "/streams/{streamName}",
      consumes = {"application/json", "application/json-patch+json"})
  @Operation(summary = "Change a selected stream with an RFC 6902 JSON Patch (add/replace/remove)")
  StreamView patchStream(
      Caller caller,
      @PathVariable UUID sourceId,
      @PathVariable String streamName,
      @RequestBody JsonNode patch) {
    return StreamView.of(catalogs.patch(caller, sourceId, streamName, patch));
  }

  @DeleteMapping(BASE + "/streams/{streamName}")
  @Operation(summary = "Stop syncing a stream; data already synced stays")
  RemovedStream removeStream(
      Caller caller, @PathVariable UUID sourceId, @PathVariable String streamName) {
    catalogs.remove(caller, sourceId, streamName);
    return new RemovedStream(streamName, "removed");
  }

  record DiscoverResponse(AirbyteCatalog catalog, Instant discoveredAt) {}

  record DiscoverJob(UUID jobId, @Schema(implementation = String.class) JobStatus status) {}

  record QueryRequest(@NotBlank @Size(min = 1, max = 4096) String jmesQuery) {}

  record AddStreamRequest(
      @NotBlank String streamName,
      String syncMode,
      String destinationSyncMode,
      List<@NotNull String> cursorField,
      List<@NotNull List<@NotNull String>> primaryKey) {}

  record StreamView(
      String name,
      String namespace,
      String syncMode,
      String destinationSyncMode,
      List<String> cursorField,
      List<List<String>> primaryKey) {
    static StreamView of(StreamConfig c) {
      return new StreamView(
          c.streamName(),
          c.namespace(),
          c.syncMode().value(),
          c.destinationSyncMode().value(),
          c.cursorField(),
          c.primaryKey());
    }
  }

  record StreamList(List<StreamView> streams) {}

  record StreamDetailView(
      String name,
      String namespace,
      tools.jackson.databind.node.ObjectNode jsonSchema,
      List<SyncMode> supportedSyncModes,
      Boolean sourceDefinedCursor,
      List<String> defaultCursorField,
      List<List<String>> sourceDefinedPrimaryKey,
      boolean selected,
      StreamView config) {}

  record RemovedStream(String streamName, String status) {}
}
