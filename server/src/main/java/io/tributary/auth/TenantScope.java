package io.tributary.auth;

import io.tributary.common.ForbiddenException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rows a caller may reach: its organization's, and for an end user only its own workspace's.
 * Made once from the {@link Caller} so services and repositories filter by it instead of each
 * asking what kind of caller it is.
 *
 * @param workspaceId the one workspace the caller is held to; null for any of the organization
 * @param mayNameOtherWorkspace whether the caller may ask for a workspace (operators) or is held to
 *     its own (end users: naming another is 403)
 */
public record TenantScope(UUID organizationId, UUID workspaceId, boolean mayNameOtherWorkspace) {

  /**
   * The condition on a table with {@code organization_id} and {@code workspace_id}; its parameters
   * are {@link #params()}.
   */
  public static final String CONDITION =
      "organization_id = ? and (?::uuid is null or workspace_id = ?)";

  public static TenantScope of(Caller caller) {
    return switch (caller) {
      case OperatorCaller operator -> wholeOrganization(operator.organizationId());
      case EndUserCaller endUser ->
          new TenantScope(endUser.organizationId(), endUser.workspaceId(), false);
    };
  }

  /** Every workspace of the organization: for operators and for the server's own work. */
  public static TenantScope wholeOrganization(UUID organizationId) {
    return new TenantScope(organizationId, null, true);
  }

  /**
   * The scope of a list the caller asked to narrow to {@code requested} (null: no narrowing). An
   * end user's list is always its own workspace; naming another is 403.
   */
  public TenantScope narrowedTo(UUID requested) {
    if (!mayNameOtherWorkspace) {
      if (requested != null && !requested.equals(workspaceId)) {
        throw new ForbiddenException();
      }
      return this;
    }
    return new TenantScope(organizationId, requested, true);
  }

  /** Whether rows of {@code workspace} are within this scope (its organization's assumed). */
  public boolean includes(UUID workspace) {
    return workspaceId == null || workspaceId.equals(workspace);
  }

  /** The parameters of {@link #CONDITION}, in order; a list that takes further ones. */
  public List<Object> params() {
    List<Object> params = new ArrayList<>();
    params.add(organizationId);
    params.add(workspaceId);
    params.add(workspaceId);
    return params;
  }
}
