package io.tributary.sourcetemplate;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import io.tributary.template.TemplateEndpoints;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Source templates: their own fields here, listing and tagging from {@link TemplateEndpoints},
 * creating in {@link SourceTemplateCreateController}.
 */
@RestController
@RequestMapping("/api/v1/integrations/templates/sources")
@Tag(name = "Source templates")
record SourceTemplateController(SourceTemplateService service)
    implements TemplateEndpoints<SourceTemplate, SourceTemplateView, SourceTemplateService> {

  @PatchMapping("/{templateId}")
  @Operation(summary = "Update a source template; every source made from it uses the new defaults")
  SourceTemplateView update(
      OperatorCaller caller,
      @PathVariable UUID templateId,
      @Valid @RequestBody UpdateRequest request) {
    return service.update(
        caller.organizationId(),
        templateId,
        request.name(),
        request.partialDefaultConfig(),
        request.customization(),
        request.tags());
  }

  @DeleteMapping("/{templateId}")
  @Operation(
      summary = "Delete a source template: end users no longer see it; its sources keep working")
  Deleted delete(OperatorCaller caller, @PathVariable UUID templateId) {
    return deleteTemplate(caller, templateId);
  }

  record UpdateRequest(
      @Size(min = 1, max = 255) String name,
      JsonNode partialDefaultConfig,
      Customization customization,
      List<@NotNull @Size(min = 1, max = 255) String> tags) {}
}
