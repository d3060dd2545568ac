package io.tributary.connectiontemplate;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import io.tributary.schedule.CronSchedule;
import io.tributary.template.TemplateEndpoints;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Connection templates: their own fields here, listing and tagging from {@link TemplateEndpoints}.
 */
@RestController
@RequestMapping("/api/v1/integrations/templates/connections")
@Tag(name = "Connection templates")
record ConnectionTemplateController(ConnectionTemplateService service)
    implements TemplateEndpoints<
        ConnectionTemplate, ConnectionTemplateView, ConnectionTemplateService> {

  @PostMapping
  @Operation(
      summary =
          "Create a connection template: the destination and schedule every end user's source gets")
  ConnectionTemplateView create(OperatorCaller caller, @Valid @RequestBody CreateRequest r) {
    caller.requireOwnOrganization(r.organizationId());
    return service.create(caller.organizationId(), r.changes());
  }

  @PatchMapping("/{templateId}")
  @Operation(summary = "Update a connection template; its existing connections follow")
  ConnectionTemplateView update(
      OperatorCaller caller, @PathVariable UUID templateId, @Valid @RequestBody UpdateRequest r) {
    return service.update(caller.organizationId(), templateId, r.changes());
  }

  @DeleteMapping("/{templateId}")
  @Operation(summary = "Delete a connection template")
  Deleted delete(OperatorCaller caller, @PathVariable UUID templateId) {
    return deleteTemplate(caller, templateId);
  }

  @PostMapping("/cron/describe")
  @Operation(summary = "Validate a Quartz cron expression and describe it in English")
  CronDescription describe(OperatorCaller caller, @Valid @RequestBody CronRequest request) {
    try {
      CronSchedule schedule = CronSchedule.parse(request.cronExpression(), request.cronTimeZone());
      return new CronDescription(schedule.describe(), true);
    } catch (CronSchedule.InvalidScheduleException e) {
      return new CronDescription(e.getMessage(), false);
    }
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
      Boolean allowEndUserSync,
      @Size(min = 1, max = 255) String namespaceFormat,
      @Size(max = 63) String prefix,
      List<@NotNull @Size(min = 1, max = 255) String> tags)
      implements ChangeRequest {}

  record UpdateRequest(
      @Size(min = 1, max = 255) String destinationName,
      @JsonAlias("destination_actor_definition_id") UUID destinationDefinitionId,
      JsonNode destinationConfig,
      @Size(max = 255) String cronExpression,
      @Size(max = 64) String cronTimeZone,
      NonBreakingChangesPreference nonBreakingChangesPreference,
      Boolean syncOnCreate,
      Boolean allowEndUserSync,
      @Size(min = 1, max = 255) String namespaceFormat,
      @Size(max = 63) String prefix,
      List<@NotNull @Size(min = 1, max = 255) String> tags)
      implements ChangeRequest {}

  /** The fields a create and an update both send. */
  interface ChangeRequest {
    String destinationName();

    UUID destinationDefinitionId();

    JsonNode destinationConfig();

    String cronExpression();

    String cronTimeZone();

    NonBreakingChangesPreference nonBreakingChangesPreference();

    Boolean syncOnCreate();

    Boolean allowEndUserSync();

    String namespaceFormat();

    String prefix();

    List<String> tags();

    default ConnectionTemplateService.Changes changes() {
      return new ConnectionTemplateService.Changes(
          destinationName(),
          destinationDefinitionId(),
          destinationConfig(),
          cronExpression(),
          cronTimeZone(),
          nonBreakingChangesPreference(),
          syncOnCreate(),
          allowEndUserSync(),
          namespaceFormat(),
          prefix(),
          tags());
    }
  }

  record CronRequest(@NotNull String cronExpression, String cronTimeZone) {}

  record CronDescription(String description, boolean isValid) {}
}
