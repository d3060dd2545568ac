package io.tributary.source;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Caller;
import io.tributary.auth.TagMode;
import io.tributary.auth.WidgetScope;
import io.tributary.common.Page;
import io.tributary.common.PageLinks;
import io.tributary.common.PageRequest;
import io.tributary.oauth.CallbackUrl;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.sourcetemplate.SourceTemplateService;
import io.tributary.sourcetemplate.SourceTemplateView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sources, on the end-user paths ({@code /embedded/...}, scoped tokens) and the integration paths
 * ({@code /integrations/...}, either token). An operator names the workspace; an end user is in its
 * own.
 */
@RestController
@Tag(name = "Sources")
class SourceController {

  private final SourceService sources;
  private final SourceTemplateService templates;
  private final CallbackUrl callbackUrl;

  SourceController(
      SourceService sources, SourceTemplateService templates, CallbackUrl callbackUrl) {
    this.sources = sources;
    this.templates = templates;
    this.callbackUrl = callbackUrl;
  }

  @GetMapping("/api/v1/embedded/source-templates")
  @Operation(
      summary = "The source templates this end user may use (filtered by the widget token's tags)")
  Page<SourceTemplateView> sourceTemplates(
      Caller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit == null ? PageRequest.MAX_LIMIT : limit, cursor);
    // filtered in the query, so that a page is full and its next link is right
    WidgetScope widget = caller.widgetScope().orElse(null);
    List<SourceTemplateView> visible =
        templates
            .page(
                caller.organizationId(),
                widget == null ? null : widget.sourceTemplateTags(),
                widget == null ? TagMode.ALL : widget.sourceTemplateTagsMode(),
                page)
            .stream()
            .map(SourceTemplateView::forEndUser)
            .toList();
    return page.page(visible, t -> new PageRequest.Key(t.createdAt(), t.id()), links);
  }

  @PostMapping({"/api/v1/embedded/sources", "/api/v1/integrations/sources"})
  @Operation(
      summary =
          "Create a source from a template: validated, checked, then wired to the destinations")
  SourceView create(Caller caller, @Valid @RequestBody CreateRequest r) {
    return sources.create(
        caller,
        new SourceService.NewSource(
            r.workspaceId(),
            r.name(),
            r.sourceTemplateId(),
            r.sourceConfig(),
            r.secretId(),
            r.selectedConnectionTemplateTags(),
            r.selectedConnectionTemplateTagsMode()));
  }

  @GetMapping({"/api/v1/embedded/sources", "/api/v1/integrations/sources"})
  @Operation(
      summary = "List sources (an end user's own; an operator's, optionally of one workspace)")
  Page<SourceView> list(
      Caller caller,
      @RequestParam(name = "workspace_id", required = false) UUID workspaceId,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit, cursor);
    return page.page(
        sources.page(caller, workspaceId, page),
        s -> new PageRequest.Key(s.createdAt(), s.id()),
        links);
  }

  @GetMapping({"/api/v1/embedded/sources/{sourceId}", "/api/v1/integrations/sources/{sourceId}"})
  @Operation(summary = "Get a source (secrets masked)")
  SourceView get(Caller caller, @PathVariable UUID sourceId) {
    return sources.view(caller, sourceId);
  }

  @PutMapping({"/api/v1/embedded/sources/{sourceId}", "/api/v1/integrations/sources/{sourceId}"})
  @Operation(
      summary = "Rename a source or replace its configuration (send ********** to keep a secret)")
  SourceView update(
      Caller caller, @PathVariable UUID sourceId, @Valid @RequestBody UpdateRequest r) {
    return sources.update(caller, sourceId, r.name(), r.sourceConfig(), r.secretId());
  }

  @PostMapping("/api/v1/embedded/sources/oauth/initiate")
  @Operation(
      summary =
          "Start connecting a source by OAuth: the provider's consent URL; the callback hands back a secret_id that source creation accepts")
  ConsentUrl initiateOAuth(Caller caller, @Valid @RequestBody InitiateRequest r) {
    return new ConsentUrl(
        sources.initiateOAuth(
            caller,
            r.workspaceId(),
            r.sourceTemplateId(),
            r.redirectUrl(),
            r.oauthInputConfiguration(),
            callbackUrl.current()));
  }

  @PostMapping("/api/v1/embedded/sources/{sourceId}/oauth/initiate")
  @Operation(
      summary =
          "Reconnect a source in place: a new consent whose secret_id, sent with PUT, replaces the source's tokens")
  ConsentUrl reconnectOAuth(
      Caller caller, @PathVariable UUID sourceId, @Valid @RequestBody ReconnectRequest r) {
    return new ConsentUrl(
        sources.reconnectOAuth(caller, sourceId, r.redirectUrl(), callbackUrl.current()));
  }

  @DeleteMapping({"/api/v1/embedded/sources/{sourceId}", "/api/v1/integrations/sources/{sourceId}"})
  @Operation(summary = "Delete a source and its connections; synced data stays in the destinations")
  Deleted delete(Caller caller, @PathVariable UUID sourceId) {
    return new Deleted(sourceId, sources.delete(caller, sourceId));
  }

  @PostMapping("/api/v1/embedded/sources/check")
  @Operation(summary = "Check a configuration before creating a source from it")
  CheckResult checkUnsaved(Caller caller, @Valid @RequestBody CheckRequest r) {
    return CheckResult.of(
        sources.checkUnsaved(
            caller,
            r.workspaceId(),
            r.sourceTemplateId(),
            r.sourceConfig(),
            r.secretId(),
            r.sourceId()));
  }

  @PostMapping("/api/v1/integrations/sources/{sourceId}/check")
  @Operation(summary = "Check a saved source's configuration")
  CheckResult checkSaved(Caller caller, @PathVariable UUID sourceId) {
    return CheckResult.of(sources.checkSaved(caller, sourceId));
  }

  record CreateRequest(
      @JsonAlias("workspace ID") UUID workspaceId,
      @Size(min = 1, max = 255) String name,
      @NotNull UUID sourceTemplateId,
      ObjectNode sourceConfig,
      @JsonAlias("server_side_oauth_secret_id") @Size(max = 200) String secretId,
      List<@NotNull @Size(min = 1, max = 255) String> selectedConnectionTemplateTags,
      TagMode selectedConnectionTemplateTagsMode) {}

  record UpdateRequest(
      @Size(min = 1, max = 255) String name,
      ObjectNode sourceConfig,
      @JsonAlias("server_side_oauth_secret_id") @Size(max = 200) String secretId) {}

  record InitiateRequest(
      @JsonAlias("workspace ID") UUID workspaceId,
      @NotNull UUID sourceTemplateId,
      @Size(max = 2048) String redirectUrl,
      ObjectNode oauthInputConfiguration) {}

  record ReconnectRequest(@Size(max = 2048) String redirectUrl) {}

  record ConsentUrl(String consentUrl) {}

  /**
   * @param workspaceId whose OAuth consent {@code secret_id} names: an operator's, as on create; an
   *     end user's is its own
   */
  record CheckRequest(
      @JsonAlias("workspace ID") UUID workspaceId,
      @NotNull UUID sourceTemplateId,
      ObjectNode sourceConfig,
      @JsonAlias("server_side_oauth_secret_id") @Size(max = 200) String secretId,
      UUID sourceId) {}

  record CheckResult(String status, String message) {
    static CheckResult of(ConnectionStatus status) {
      return new CheckResult(status.ok() ? "succeeded" : "failed", status.message());
    }
  }

  record Deleted(UUID id, Instant deletedAt) {}
}
