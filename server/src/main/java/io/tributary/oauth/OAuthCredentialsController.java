package io.tributary.oauth;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import io.tributary.common.Page;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/** The operator's OAuth apps, one per connector (SPEC §15). */
@RestController
@Tag(name = "OAuth")
class OAuthCredentialsController {

  private final OAuthApps apps;
  private final CallbackUrl callbackUrl;

  OAuthCredentialsController(OAuthApps apps, CallbackUrl callbackUrl) {
    this.apps = apps;
    this.callbackUrl = callbackUrl;
  }

  @PutMapping("/api/v1/oauth/credentials")
  @Operation(
      summary =
          "Register (or replace) the organization's OAuth app for a connector: its client id and secret; secrets are sealed and shown masked")
  OAuthApps.AppView put(OperatorCaller caller, @Valid @RequestBody AppRequest request) {
    return apps.save(caller.organizationId(), request.definitionId(), request.configuration());
  }

  @GetMapping("/api/v1/oauth/credentials")
  @Operation(summary = "The organization's OAuth apps (secrets masked)")
  Page<OAuthApps.AppView> list(OperatorCaller caller) {
    return new Page<>(apps.list(caller.organizationId()), null);
  }

  @DeleteMapping("/api/v1/oauth/credentials/{definitionId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Remove the organization's OAuth app for a connector")
  void delete(OperatorCaller caller, @PathVariable UUID definitionId) {
    apps.delete(caller.organizationId(), definitionId);
  }

  @GetMapping("/api/v1/oauth/credentials/spec")
  @Operation(
      summary =
          "What an OAuth app for a connector holds, and the redirect URL to register at the provider")
  AppSpecView spec(OperatorCaller caller, @RequestParam(name = "definition_id") UUID definitionId) {
    OAuthApps.AppSpec spec = apps.spec(definitionId);
    return new AppSpecView(
        spec.definitionId(), spec.serverInputSpecification(), callbackUrl.current());
  }

  record AppRequest(@NotNull UUID definitionId, @NotNull ObjectNode configuration) {}

  record AppSpecView(
      UUID definitionId,
      tools.jackson.databind.JsonNode serverInputSpecification,
      String redirectUrl) {}
}
