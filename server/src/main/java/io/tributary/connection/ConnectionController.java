package io.tributary.connection;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Caller;
import io.tributary.auth.OperatorCaller;
import io.tributary.auth.TenantScope;
import io.tributary.common.NotFoundException;
import io.tributary.common.Page;
import io.tributary.common.PageLinks;
import io.tributary.common.PageRequest;
import io.tributary.common.ValidationException;
import io.tributary.connectiontemplate.ConnectionTemplate;
import io.tributary.connectiontemplate.ConnectionTemplateRepository;
import io.tributary.connectiontemplate.ConnectionTemplateService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Connections and destinations of workspaces: operators see and drive them, end users see their
 * own.
 */
@RestController
@Tag(name = "Connections")
class ConnectionController {

  private final ConnectionRepository connections;
  private final ConnectionTemplateRepository templates;
  private final ConnectionTemplateService templateService;
  private final Clock clock;

  ConnectionController(
      ConnectionRepository connections,
      ConnectionTemplateRepository templates,
      ConnectionTemplateService templateService,
      Clock clock) {
    this.connections = connections;
    this.templates = templates;
    this.templateService = templateService;
    this.clock = clock;
  }

  @GetMapping("/api/v1/connections")
  @Operation(summary = "List connections, by workspace, source or status")
  Page<ConnectionView> list(
      Caller caller,
      @RequestParam(name = "workspace_id", required = false) UUID workspaceId,
      @RequestParam(name = "source_id", required = false) UUID sourceId,
      @RequestParam(required = false)
          @Pattern(regexp = "active|inactive", message = "must be active or inactive")
          String status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit, cursor);
    var rows =
        connections
            .connections(TenantScope.of(caller).narrowedTo(workspaceId), sourceId, status, page)
            .stream()
            .map(c -> view(c))
            .toList();
    return page.page(rows, c -> new PageRequest.Key(c.createdAt(), c.id()), links);
  }

  @GetMapping("/api/v1/connections/{connectionId}")
  @Operation(summary = "Get a connection")
  ConnectionView get(Caller caller, @PathVariable UUID connectionId) {
    return view(connection(caller, connectionId));
  }

  @PatchMapping("/api/v1/connections/{connectionId}")
  @Operation(
      summary =
          "Pause or resume a connection, or give it its own schedule (an empty cron_expression restores the template's)")
  ConnectionView update(
      OperatorCaller caller,
      @PathVariable UUID connectionId,
      @Valid @RequestBody ConnectionUpdate update) {
    ConnectionRecord current = connection(caller, connectionId);
    String cron = current.cronExpression();
    String zone = current.cronTimeZone();
    if (update.cronExpression() != null) {
      cron = update.cronExpression().isBlank() ? null : update.cronExpression().trim();
      // a new cron alone keeps the time zone the connection's own schedule already had
      String given = update.cronTimeZone() != null ? update.cronTimeZone() : zone;
      zone = cron == null ? null : given == null ? "UTC" : given;
      if (cron != null) {
        templateService.checkSchedule(caller.organizationId(), cron, zone);
      }
    } else if (update.cronTimeZone() != null) {
      if (cron == null) {
        throw ValidationException.body(
            "cron_time_zone",
            "the connection follows its template's schedule; send cron_expression with it",
            "value_error.cron");
      }
      zone = update.cronTimeZone();
      templateService.checkSchedule(caller.organizationId(), cron, zone);
    }
    connections.update(connectionId, update.status(), cron, zone, clock.instant());
    return view(connection(caller, connectionId));
  }

  @GetMapping("/api/v1/destinations")
  @Operation(summary = "List destinations, by workspace")
  Page<DestinationView> destinations(
      OperatorCaller caller,
      @RequestParam(name = "workspace_id", required = false) UUID workspaceId,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit, cursor);
    var rows =
        connections.destinations(TenantScope.of(caller).narrowedTo(workspaceId), page).stream()
            .map(d -> DestinationView.of(d, template(d.organizationId(), d.connectionTemplateId())))
            .toList();
    return page.page(rows, d -> new PageRequest.Key(d.createdAt(), d.id()), links);
  }

  @GetMapping("/api/v1/destinations/{destinationId}")
  @Operation(summary = "Get a destination (its configuration is its template's, secrets masked)")
  DestinationView destination(OperatorCaller caller, @PathVariable UUID destinationId) {
    DestinationRecord destination =
        connections
            .findDestination(TenantScope.of(caller), destinationId)
            .orElseThrow(() -> new NotFoundException("Destination", destinationId));
    return DestinationView.of(
        destination, template(destination.organizationId(), destination.connectionTemplateId()));
  }

  private ConnectionRecord connection(Caller caller, UUID id) {
    return connections
        .findConnection(TenantScope.of(caller), id)
        .orElseThrow(() -> new NotFoundException("Connection", id));
  }

  private ConnectionView view(ConnectionRecord c) {
    return ConnectionView.of(c, template(c.organizationId(), c.connectionTemplateId()));
  }

  private ConnectionTemplate template(UUID organizationId, UUID id) {
    return templates.findAny(organizationId, id).orElseThrow();
  }

  record ConnectionUpdate(
      @Pattern(
              regexp = "active|inactive",
              message = "value is not a valid enumeration member; permitted: 'active', 'inactive'")
          String status,
      @Size(max = 255) String cronExpression,
      @Size(max = 64) String cronTimeZone) {}

  record DestinationView(
      UUID id,
      UUID workspaceId,
      String name,
      UUID destinationDefinitionId,
      UUID connectionTemplateId,
      JsonNode destinationConfig,
      Instant createdAt,
      Instant updatedAt) {
    static DestinationView of(DestinationRecord d, ConnectionTemplate t) {
      return new DestinationView(
          d.id(),
          d.workspaceId(),
          d.name(),
          d.definitionId(),
          d.connectionTemplateId(),
          t.destinationConfig().masked(),
          d.createdAt(),
          d.updatedAt());
    }
  }
}
