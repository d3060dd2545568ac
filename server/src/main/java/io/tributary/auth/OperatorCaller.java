package io.tributary.auth;

import io.tributary.common.ForbiddenException;
import java.util.UUID;

/**
 * An operator's backend, authenticated by an operator token of one of its organization's
 * applications.
 */
public record OperatorCaller(UUID organizationId, UUID applicationId) implements Caller {

  /** An {@code organization_id} sent in a body must be the caller's own. */
  public void requireOwnOrganization(UUID organizationId) {
    if (organizationId != null && !organizationId.equals(this.organizationId)) {
      throw new ForbiddenException();
    }
  }
}
