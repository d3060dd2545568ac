package io.tributary.token;

import io.tributary.auth.OperatorCaller;
import io.tributary.auth.WidgetScope;
import io.tributary.common.UnauthorizedException;
import io.tributary.common.ValidationException;
import io.tributary.organization.Organization;
import io.tributary.organization.OrganizationRepository;
import io.tributary.settings.TributaryProperties;
import io.tributary.workspace.Region;
import io.tributary.workspace.Workspace;
import io.tributary.workspace.WorkspaceRepository;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Mints scoped and widget tokens for a workspace named by the operator, creating the workspace on
 * first use.
 */
@Service
public class EmbeddedTokenService {

  private final WorkspaceRepository workspaces;
  private final OrganizationRepository organizations;
  private final TokenService tokens;
  private final TributaryProperties properties;
  private final Clock clock;

  EmbeddedTokenService(
      WorkspaceRepository workspaces,
      OrganizationRepository organizations,
      TokenService tokens,
      TributaryProperties properties,
      Clock clock) {
    this.workspaces = workspaces;
    this.organizations = organizations;
    this.tokens = tokens;
    this.properties = properties;
    this.clock = clock;
  }

  String scopedToken(OperatorCaller caller, String workspaceName, UUID regionId) {
    Workspace workspace = workspace(caller, workspaceName, regionId);
    return issue(caller, workspace, null);
  }

  public WidgetToken widgetToken(
      OperatorCaller caller, String workspaceName, UUID regionId, WidgetScope scope) {
    Workspace workspace = workspace(caller, workspaceName, regionId);
    String jwt = issue(caller, workspace, scope);
    String widgetUrl =
        properties.publicBaseUrl()
            + "/embedded-widget?workspaceId="
            + workspace.id()
            + "&allowedOrigin="
            + URLEncoder.encode(scope.allowedOrigin(), StandardCharsets.UTF_8);
    return new WidgetToken(jwt, widgetUrl);
  }

  private Workspace workspace(OperatorCaller caller, String workspaceName, UUID regionId) {
    Region region =
        regionId == null
            ? Region.DEFAULT
            : Region.byId(regionId)
                .orElseThrow(
                    () ->
                        ValidationException.field(
                            "region_id",
                            "unknown region; use GET /api/v1/regions for the valid ids",
                            "value_error.region"));
    return workspaces.getOrCreate(caller.organizationId(), workspaceName, region, clock.instant());
  }

  private String issue(OperatorCaller caller, Workspace workspace, WidgetScope scope) {
    Organization organization =
        organizations.findById(caller.organizationId()).orElseThrow(UnauthorizedException::new);
    Duration ttl =
        organization.scopedTokenTtlSeconds() == null
            ? properties.scopedTokenTtl()
            : Duration.ofSeconds(organization.scopedTokenTtlSeconds());
    return tokens
        .issueScopedToken(
            organization.id(),
            workspace.id(),
            workspace.tokenGeneration(),
            caller.applicationId(),
            ttl,
            scope)
        .token();
  }

  /**
   * The two parts of a widget token before encoding; {@code widgetUrl} is the key the widget
   * library needs.
   */
  public record WidgetToken(String token, String widgetUrl) {}
}
