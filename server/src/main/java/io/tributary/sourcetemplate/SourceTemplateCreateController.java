package io.tributary.sourcetemplate;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Creating a source template, the one source-template endpoint served on two paths, so it lives
 * outside {@link SourceTemplateController}'s base path. {@code /api/v1/embedded/templates/sources}
 * is the path one published example uses (notes §10.9).
 */
@RestController
@Tag(name = "Source templates")
record SourceTemplateCreateController(SourceTemplateService service) {

  @PostMapping({"/api/v1/integrations/templates/sources", "/api/v1/embedded/templates/sources"})
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

  record CreateRequest(
      UUID organizationId,
      @Size(min = 1, max = 255) String name,
      @NotNull UUID actorDefinitionId,
      @NotNull JsonNode partialDefaultConfig,
      Customization customization,
      List<@NotNull @Size(min = 1, max = 255) String> tags) {}
}
