package io.tributary.sourcetemplate;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import io.tributary.auth.TagMode;
import io.tributary.common.Page;
import io.tributary.common.PageLinks;
import io.tributary.common.PageRequest;
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
@Tag(name = "Source templates")
class SourceTemplateController {

  private static final String BASE = "/api/v1/integrations/templates/sources";

  private final SourceTemplateService service;
  private final TaggedTemplates<SourceTemplate, SourceTemplateView> templates;

  SourceTemplateController(SourceTemplateService service) {
    this.service = service;
    this.templates = service.tagged();
  }

  /**
   * {@code /api/v1/embedded/templates/sources} is the path one published example uses (notes
   * §10.9).
   */
  @PostMapping({BASE, "/api/v1/embedded/templates/sources"})
  @Operation(
      summary =
          "Create a source template: a connector end users may pick, with preset configuration")
  SourceTemplateView create(OperatorCaller caller, @Valid @RequestBody CreateRequest request) {
    caller.requireOwnOrganization(request.organizationId());
    return service.create(
        caller.organizationId(),
        request.name(),
        request.actorDefinitionId(),
        request.partialDefaultConfig(),
        request.customization(),
        request.tags());
  }

  @GetMapping(BASE)
  @Operation(summary = "List source templates, optionally those carrying any/all of some tags")
  Page<SourceTemplateView> list(
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
  @Operation(summary = "Get a source template")
  SourceTemplateView get(OperatorCaller caller, @PathVariable UUID templateId) {
    return templates.view(caller.organizationId(), templateId);
  }

  @PatchMapping(BASE + "/{templateId}")
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

  @DeleteMapping(BASE + "/{templateId}")
  @Operation(
      summary = "Delete a source template: end users no longer see it; its sources keep working")
  Deleted delete(OperatorCaller caller, @PathVariable UUID templateId) {
    return new Deleted(templateId, templates.delete(caller.organizationId(), templateId));
  }

  @PostMapping(BASE + "/{templateId}/tags")
  @Operation(summary = "Tag a source template (the tag is created if new)")
  SourceTemplateView addTag(
      OperatorCaller caller,
      @PathVariable UUID templateId,
      @Valid @RequestBody TagRequest request) {
    return templates.addTag(caller.organizationId(), templateId, request.tag());
  }

  @DeleteMapping(BASE + "/{templateId}/tags/{tagName}")
  @Operation(summary = "Remove a tag from a source template")
  SourceTemplateView removeTag(
      OperatorCaller caller, @PathVariable UUID templateId, @PathVariable String tagName) {
    return templates.removeTag(caller.organizationId(), templateId, tagName);
  }

  record CreateRequest(
      UUID organizationId,
      @Size(min = 1, max = 255) String name,
      @NotNull UUID actorDefinitionId,
      @NotNull JsonNode partialDefaultConfig,
      Customization customization,
      List<@NotNull @Size(min = 1, max = 255) String> tags) {}

  record UpdateRequest(
      @Size(min = 1, max = 255) String name,
      JsonNode partialDefaultConfig,
      Customization customization,
      List<@NotNull @Size(min = 1, max = 255) String> tags) {}

  record Deleted(UUID id, Instant deletedAt) {}
}
