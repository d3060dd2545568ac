package io.tributary.token;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.EndUserCaller;
import io.tributary.auth.OperatorCaller;
import io.tributary.auth.Origins;
import io.tributary.auth.TagMode;
import io.tributary.auth.WidgetScope;
import io.tributary.common.ValidationException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scoped and widget tokens (notes §2), under their documented names and the compatibility aliases.
 */
@RestController
@Tag(name = "Embedded tokens")
class EmbeddedTokenController {

  private final EmbeddedTokenService service;
  private final JsonMapper json;

  EmbeddedTokenController(EmbeddedTokenService service, JsonMapper json) {
    this.service = service;
    this.json = json;
  }

  @PostMapping({"/api/v1/embedded/scoped-token", "/api/v1/account/applications/scoped-token"})
  @Operation(
      summary =
          "Mint a scoped token for the workspace named workspace_name, creating it if missing")
  TokenResponse scopedToken(OperatorCaller caller, @Valid @RequestBody ScopedTokenRequest request) {
    caller.requireOwnOrganization(request.organizationId());
    String workspace = workspaceName(request.workspaceName(), request.externalUserId());
    return new TokenResponse(service.scopedToken(caller, workspace, request.regionId()));
  }

  /**
   * {@code /v1/embedded/widget_token} (at the root and under {@code /api}) is the public Airbyte
   * API's path, which Airbyte's sample apps and widget demo call with camelCase {@code
   * {organizationId, allowedOrigin, externalUserId}}; every path takes both casings.
   */
  @PostMapping({
    "/api/v1/embedded/widget-token",
    "/api/v1/embedded/widget_token",
    "/api/v1/account/applications/widget-token",
    "/v1/embedded/widget_token"
  })
  @Operation(
      summary = "Mint a widget token: base64 of {token, widgetUrl}; ?debug returns the JSON itself")
  Object widgetToken(
      OperatorCaller caller,
      @Valid @RequestBody WidgetTokenRequest request,
      @RequestParam(name = "debug", required = false) String debug) {
    caller.requireOwnOrganization(request.organizationId());
    String workspace = workspaceName(request.workspaceName(), request.externalUserId());
    // kept in the form browsers send (lower case, no default port): the widget compares it with
    // event.origin
    String origin =
        Origins.normalize(request.allowedOrigin())
            .orElseThrow(
                () ->
                    ValidationException.body(
                        "allowed_origin",
                        "must be an origin: scheme://host[:port], without path, trailing slash or wildcard",
                        "value_error.origin"));
    var scope =
        new WidgetScope(
            origin,
            orEmpty(request.selectedSourceTemplateTags()),
            request.selectedSourceTemplateTagsMode() == null
                ? TagMode.ANY
                : request.selectedSourceTemplateTagsMode(),
            orEmpty(request.selectedConnectionTemplateTags()),
            request.selectedConnectionTemplateTagsMode() == null
                ? TagMode.ANY
                : request.selectedConnectionTemplateTagsMode());
    EmbeddedTokenService.WidgetToken token =
        service.widgetToken(caller, workspace, request.regionId(), scope);
    var decoded = new WidgetTokenJson(token.token(), token.widgetUrl());
    if (debug != null) {
      return decoded;
    }
    byte[] encoded = json.writeValueAsBytes(decoded);
    return new TokenResponse(
        new String(Base64.getEncoder().encode(encoded), StandardCharsets.US_ASCII));
  }

  @GetMapping({
    "/api/v1/embedded/scoped-token/info",
    "/api/v1/embedded/scoped-token-info",
    "/api/v1/embedded/organizations/current-scoped",
    "/api/v1/account/applications/scoped-token/info"
  })
  @Operation(summary = "The organization and workspace of the calling scoped token")
  ScopedTokenInfo info(EndUserCaller caller) {
    return new ScopedTokenInfo(
        caller.organizationId(), caller.workspaceId(), caller.workspaceName());
  }

  /**
   * {@code workspace_name}, else {@code external_user_id}: Airbyte's clients name the end user,
   * whose workspace it is; a client sending both (a newer sample does) means the workspace by
   * {@code workspace_name}.
   */
  private static String workspaceName(String workspaceName, String externalUserId) {
    String name = workspaceName != null ? workspaceName : externalUserId;
    if (name == null) {
      throw ValidationException.body("workspace_name", "field required", "value_error.missing");
    }
    if (name.isBlank()) {
      throw ValidationException.body(
          workspaceName != null ? "workspace_name" : "external_user_id",
          "must not be blank",
          "value_error");
    }
    return name;
  }

  private static List<String> orEmpty(List<String> tags) {
    return tags == null ? List.of() : tags;
  }

  /**
   * @param organizationId optional; when sent it must be the caller's organization (else 403)
   */
  record ScopedTokenRequest(
      @Size(max = 255) @JsonAlias("customer_name") String workspaceName,
      @Size(max = 255) @JsonAlias("externalUserId") String externalUserId,
      @JsonAlias("organizationId") UUID organizationId,
      UUID regionId) {}

  /** Snake case as documented, and the camelCase keys of the public Airbyte API's widget_token. */
  record WidgetTokenRequest(
      @Size(max = 255) @JsonAlias("customer_name") String workspaceName,
      @Size(max = 255) @JsonAlias("externalUserId") String externalUserId,
      @JsonAlias("organizationId") UUID organizationId,
      @NotNull @JsonAlias("allowedOrigin") String allowedOrigin,
      UUID regionId,
      List<@NotNull @Size(min = 1, max = 255) String> selectedSourceTemplateTags,
      TagMode selectedSourceTemplateTagsMode,
      List<@NotNull @Size(min = 1, max = 255) String> selectedConnectionTemplateTags,
      TagMode selectedConnectionTemplateTagsMode) {}

  record TokenResponse(String token) {}

  /** The decoded widget token; its keys are camelCase, as the widget library reads them. */
  record WidgetTokenJson(
      @JsonProperty("token") String token, @JsonProperty("widgetUrl") String widgetUrl) {}

  record ScopedTokenInfo(UUID organizationId, UUID workspaceId, String workspaceName) {}
}
