package io.tributary.connectiontemplate;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import io.tributary.auth.TagMode;
import io.tributary.common.Page;
import io.tributary.common.PageLinks;
import io.tributary.common.PageRequest;
import io.tributary.schedule.CronSchedule;
import io.tributary.template.TagRequest;
import io.tributary.template.TaggedTemplates;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Connection templates")
class ConnectionTemplateController {

  private static final String BASE = "/api/v1/integrations/templates/connections";

  private final ConnectionTemplateService service;
  private final TaggedTemplates<ConnectionTemplate, ConnectionTemplateView> templates;

  ConnectionTemplateController(ConnectionTemplateService service) {
    this.service = service;
    this.templates = service.tagged();
  }

  @PostMapping(BASE)
  @Operation(
      summary =
          "Create a connection template: the destination and schedule every end user's source gets")
  ConnectionTemplateView create(OperatorCaller caller, @Valid @RequestBody CreateRequest r) {
    caller.requireOwnOrganization(r.organizationId());
    return service.create(
        caller.organizationId(),
        new ConnectionTemplateService.Changes(
            r.destinationName(),
            r.destinationDefinitionId(),
            r.destinationConfig(),
            r.cronExpression(),
            r.cronTimeZone(),
            r.nonBreakingChangesPreference(),
            r.syncOnCreate(),
            r.namespaceFormat(),
            r.prefix(),
            r.tags()));
  }

  @GetMapping(BASE)
  @Operation(summary = "List connection templates, optionally those carrying any/all of some tags")
  Page<ConnectionTemplateView> list(
      OperatorCaller caller,
      @RequestParam(required = false) List<String> tags,
      @RequestParam(name = "tags_mode", required = false) TagMode tagsMode,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit, cursor);
    var rows = templates.page(caller.organizationId(), tags, tagsMode, page);
    return page.page(rows, t -> new PageRequest.Key(t.createdAt(), t.id()), links);
  }

  @GetMapping(BASE + "/{templateId}")
  @Operation(summary = "Get a connection template")
  ConnectionTemplateView get(OperatorCaller caller, @PathVariable UUID templateId) {
    return templates.view(caller.organizationId(), templateId);
  }

  @PatchMapping(BASE + "/{templateId}")
  @Operation(summary = "Update a connection template; its existing connections follow")
  ConnectionTemplateView update(
      OperatorCaller caller, @PathVariable UUID templateId, @Valid @RequestBody UpdateRequest r) {
    return service.update(
        caller.organizationId(),
        templateId,
        new ConnectionTemplateService.Changes(
            r.destinationName(),
            r.destinationDefinitionId(),
            r.destinationConfig(),
            r.cronExpression(),
            r.cronTimeZone(),
            r.nonBreakingChangesPreference(),
            r.syncOnCreate(),
            r.namespaceFormat(),
            r.prefix(),
            r.tags()));
  }

  @DeleteMapping(BASE + "/{templateId}")
  @Operation(summary = "Delete a connection template")
  Deleted delete(OperatorCaller caller, @PathVariable UUID templateId) {
    return new Deleted(templateId, templates.delete(caller.organizationId(), templateId));
  }

  @PostMapping(BASE + "/cron/describe")
  @Operation(summary = "Validate a Quartz cron expression and describe it in English")
  CronDescription describe(OperatorCaller caller, @Valid @RequestBody CronRequest request) {
    try {
      CronSchedule schedule = CronSchedule.parse(request.cronExpression(), request.cronTimeZone());
      return new CronDescription(schedule.describe(), true);
    } catch (CronSchedule.InvalidScheduleException e) {
      return new CronDescription(e.getMessage(), false);
    }
  }

  @PostMapping(BASE + "/{templateId}/tags")
  @Operation(summary = "Tag a connection template (the tag is created if new)")
  ConnectionTemplateView addTag(
      OperatorCaller caller,
      @PathVariable UUID templateId,
      @Valid @RequestBody TagRequest request) {
    return templates.addTag(caller.organizationId(), templateId, request.tag());
  }

  @DeleteMapping(BASE + "/{templateId}/tags/{tagName}")
  @Operation(summary = "Remove a tag from a connection template")
  ConnectionTemplateView removeTag(
      OperatorCaller caller, @PathVariable UUID templateId, @PathVariable String tagName) {
    return templates.removeTag(caller.organizationId(), templateId, tagName);
  }

  record CreateRequest(
      UUID organizationId,
      @NotNull @Size(min = 1, max = 255) String destinationName,
      @NotNull @JsonAlias("destination_actor_definition_id") UUID destinationDefinitionId,
      @NotNull JsonNode destinationConfig,
      @Size(max = 255) String cronExpression,
      @Size(max = 64) String cronTimeZone,
      NonBreakingChangesPreference nonBreakingChangesPreference,
      Boolean syncOnCreate,
      @Size(min = 1, max = 255) String namespaceFormat,
      @Size(max = 63) String prefix,
      List<@NotNull @Size(min = 1, max = 255) String> tags) {}

  record UpdateRequest(
      @Size(min = 1, max = 255) String destinationName,
      @JsonAlias("destination_actor_definition_id") UUID destinationDefinitionId,
      JsonNode destinationConfig,
      @Size(max = 255) String cronExpression,
      @Size(max = 64) String cronTimeZone,
      NonBreakingChangesPreference nonBreakingChangesPreference,
      Boolean syncOnCreate,
      @Size(min = 1, max = 255) String namespaceFormat,
      @Size(max = 63) String prefix,
      List<@NotNull @Size(min = 1, max = 255) String> tags) {}

  record CronRequest(@NotNull String cronExpression, String cronTimeZone) {}

  record CronDescription(String description, boolean isValid) {}

  record Deleted(UUID id, Instant deletedAt) {}
}
