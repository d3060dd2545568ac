package io.tributary.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Public;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorInstall;
import io.tributary.definition.ConnectorInstaller;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.definition.ConnectorRuntime;
import io.tributary.definition.ConnectorType;
import io.tributary.organization.Application;
import io.tributary.organization.LimitsChange;
import io.tributary.organization.LimitsChange.Limit;
import io.tributary.organization.Organization;
import io.tributary.organization.OrganizationService;
import io.tributary.token.SigningKeyRing;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Instance administration over HTTP, guarded by the admin key rather than by tokens: organizations,
 * applications and signing keys. {@code tributary admin} offers the same through the CLI.
 */
@Public
@RestController
@Tag(name = "Instance administration")
class AdminController {

  private final AdminKeyGuard guard;
  private final OrganizationService organizations;
  private final SigningKeyRing keys;
  private final ConnectorRegistry connectors;
  private final ConnectorInstaller installer;

  AdminController(
      AdminKeyGuard guard,
      OrganizationService organizations,
      SigningKeyRing keys,
      ConnectorRegistry connectors,
      ConnectorInstaller installer) {
    this.guard = guard;
    this.organizations = organizations;
    this.keys = keys;
    this.connectors = connectors;
    this.installer = installer;
  }

  @PostMapping("/api/v1/admin/organizations")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create an organization")
  Organization createOrganization(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @Valid @RequestBody OrganizationRequest request) {
    guard.check(authorization);
    return organizations.createOrganization(
        request.name(), request.rateLimitPerHour(), request.scopedTokenTtlSeconds());
  }

  @GetMapping("/api/v1/admin/organizations")
  @Operation(summary = "List organizations")
  Map<String, List<Organization>> listOrganizations(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    guard.check(authorization);
    return Map.of("data", organizations.organizations());
  }

  @PatchMapping("/api/v1/admin/organizations/{organizationId}")
  @Operation(
      summary =
          "Set an organization's rate limit, scoped-token lifetime, minimum sync interval and cap on syncs running at once (null restores the default)")
  Organization updateOrganization(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable UUID organizationId,
      @Valid @RequestBody LimitsRequest request) {
    guard.check(authorization);
    return organizations.updateLimits(organizationId, request.change());
  }

  @PostMapping("/api/v1/admin/organizations/{organizationId}/applications")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create an application; its client_secret is returned this once")
  NewApplicationResponse createApplication(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable UUID organizationId,
      @Valid @RequestBody ApplicationRequest request) {
    guard.check(authorization);
    var created = organizations.createApplication(organizationId, request.name(), null, null);
    return NewApplicationResponse.of(created);
  }

  @GetMapping("/api/v1/admin/organizations/{organizationId}/applications")
  @Operation(summary = "List an organization's applications (never their secrets)")
  Map<String, List<Application>> listApplications(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable UUID organizationId) {
    guard.check(authorization);
    organizations.organization(organizationId.toString());
    return Map.of("data", organizations.applications(organizationId));
  }

  @DeleteMapping("/api/v1/admin/applications/{applicationId}")
  @Operation(summary = "Revoke an application; its operator tokens stop working at once")
  Application revokeApplication(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable UUID applicationId) {
    guard.check(authorization);
    return organizations.revokeApplication(applicationId.toString());
  }

  @PostMapping("/api/v1/admin/signing-keys/rotate")
  @Operation(
      summary =
          "Sign new tokens with a new key; the previous key keeps verifying until its tokens expire")
  Map<String, String> rotate(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    guard.check(authorization);
    return Map.of("kid", keys.rotate());
  }

  @GetMapping("/api/v1/admin/signing-keys")
  @Operation(summary = "The signing keys that still verify tokens")
  Map<String, List<SigningKeyRing.KeyInfo>> signingKeys(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    guard.check(authorization);
    return Map.of("data", keys.keys());
  }

  @PostMapping("/api/v1/admin/connectors")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Register an Airbyte-protocol connector run by a command; its spec is read from it")
  ExternalConnectorView registerConnector(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @Valid @RequestBody ConnectorRequest request) {
    guard.check(authorization);
    return ExternalConnectorView.of(
        connectors.register(
            request.type(), request.name(), request.command(), request.definitionId()));
  }

  @PostMapping("/api/v1/admin/connectors/install")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(
      summary =
          "Install an Airbyte connector by registry name (source-faker@7.2.1), PyPI package"
              + " (airbyte-source-faker==7.2.1) or declarative manifest; poll the install it returns")
  ConnectorInstall install(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @Valid @RequestBody InstallRequest request) {
    guard.check(authorization);
    return installer.install(
        new ConnectorInstaller.Request(
            request.name(),
            request.version(),
            request.manifest(),
            request.components(),
            request.definitionId(),
            Boolean.TRUE.equals(request.replace())));
  }

  @GetMapping("/api/v1/admin/connectors/installs/{installId}")
  @Operation(summary = "An install's status and log")
  ConnectorInstall installStatus(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable UUID installId) {
    guard.check(authorization);
    return installer.get(installId);
  }

  @PostMapping("/api/v1/admin/connectors/{definitionId}/upgrade")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(
      summary =
          "Move an installed connector to another version (the registry's current one by default)"
              + " or a manifest connector to a new manifest")
  ConnectorInstall upgrade(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable UUID definitionId,
      @Valid @RequestBody(required = false) UpgradeRequest request) {
    guard.check(authorization);
    UpgradeRequest given = request == null ? new UpgradeRequest(null, null) : request;
    return installer.upgrade(definitionId, given.version(), given.manifest());
  }

  @GetMapping("/api/v1/admin/connectors")
  @Operation(summary = "List the installed and registered connectors")
  Map<String, List<ExternalConnectorView>> listConnectors(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    guard.check(authorization);
    List<ExternalConnectorView> all = new ArrayList<>();
    for (ConnectorType type : ConnectorType.values()) {
      connectors.all(type).stream()
          .filter(ConnectorDefinition::custom)
          .map(ExternalConnectorView::of)
          .forEach(all::add);
    }
    return Map.of("data", all);
  }

  @DeleteMapping("/api/v1/admin/connectors/{definitionId}")
  @Operation(summary = "Remove an installed or registered connector (and its Python environment)")
  Map<String, UUID> removeConnector(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable UUID definitionId) {
    guard.check(authorization);
    installer.remove(definitionId);
    return Map.of("definition_id", definitionId);
  }

  record ConnectorRequest(
      @jakarta.validation.constraints.NotNull ConnectorType type,
      @NotBlank @Size(max = 255) String name,
      @jakarta.validation.constraints.NotEmpty List<@NotBlank String> command,
      UUID definitionId) {}

  record InstallRequest(
      @NotBlank @Size(max = 255) String name,
      @Size(max = 64) String version,
      String manifest,
      String components,
      UUID definitionId,
      Boolean replace) {}

  record UpgradeRequest(@Size(max = 64) String version, String manifest) {}

  /**
   * @param runtime {@code command}, {@code python} or {@code manifest}
   * @param command the command line, for a registered command
   */
  record ExternalConnectorView(
      UUID definitionId,
      ConnectorType type,
      String name,
      String runtime,
      String version,
      String command,
      String iconUrl,
      tools.jackson.databind.node.ObjectNode spec) {
    static ExternalConnectorView of(ConnectorDefinition definition) {
      String command =
          definition.runtime() instanceof ConnectorRuntime.Command c
              ? String.join(" ", c.command())
              : null;
      return new ExternalConnectorView(
          definition.definitionId(),
          definition.type(),
          definition.name(),
          definition.runtime().kind(),
          command != null ? null : definition.version(),
          command,
          definition.iconUrl(),
          definition.spec());
    }
  }

  record OrganizationRequest(
      @NotBlank @Size(max = 255) String name,
      @Min(1) Integer rateLimitPerHour,
      @Min(60) @Max(86400) Integer scopedTokenTtlSeconds) {}

  /**
   * A class, not a record: Jackson calls a setter for a null it is sent and none for a property
   * left out, which is how "restore the default" and "keep" differ.
   */
  static final class LimitsRequest {
    private final Map<Limit, Integer> named = new EnumMap<>(Limit.class);

    public @Min(1) Integer getRateLimitPerHour() {
      return named.get(Limit.RATE_LIMIT_PER_HOUR);
    }

    public void setRateLimitPerHour(Integer value) {
      named.put(Limit.RATE_LIMIT_PER_HOUR, value);
    }

    public @Min(60) @Max(86400) Integer getScopedTokenTtlSeconds() {
      return named.get(Limit.SCOPED_TOKEN_TTL_SECONDS);
    }

    public void setScopedTokenTtlSeconds(Integer value) {
      named.put(Limit.SCOPED_TOKEN_TTL_SECONDS, value);
    }

    public @Min(60) Integer getMinSyncIntervalSeconds() {
      return named.get(Limit.MIN_SYNC_INTERVAL_SECONDS);
    }

    public void setMinSyncIntervalSeconds(Integer value) {
      named.put(Limit.MIN_SYNC_INTERVAL_SECONDS, value);
    }

    public @Min(1) @Max(10000) Integer getMaxConcurrentSyncs() {
      return named.get(Limit.MAX_CONCURRENT_SYNCS);
    }

    public void setMaxConcurrentSyncs(Integer value) {
      named.put(Limit.MAX_CONCURRENT_SYNCS, value);
    }

    LimitsChange change() {
      return new LimitsChange(named);
    }
  }

  record ApplicationRequest(@NotBlank @Size(max = 255) String name) {}

  record NewApplicationResponse(
      UUID id,
      UUID organizationId,
      String name,
      String clientId,
      String clientSecret,
      Instant createdAt) {
    static NewApplicationResponse of(OrganizationService.NewApplication created) {
      Application app = created.application();
      return new NewApplicationResponse(
          app.id(),
          app.organizationId(),
          app.name(),
          app.clientId(),
          created.clientSecret(),
          app.createdAt());
    }
  }
}
