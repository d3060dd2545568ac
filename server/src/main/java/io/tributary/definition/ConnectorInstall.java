package io.tributary.definition;

import java.time.Instant;
import java.util.UUID;

/**
 * An install or upgrade of a connector, as the admin polls it.
 *
 * @param status {@code pending}, {@code running}, {@code succeeded} or {@code failed}
 * @param definitionId the definition it installs (known from the start when the registry or the
 *     request names it)
 * @param log what the install printed (pip's output), scrubbed of nothing because it holds no
 *     secret
 * @param failureReason why it failed, in one line, or null
 */
public record ConnectorInstall(
    UUID id,
    String name,
    String version,
    UUID definitionId,
    String status,
    String log,
    String failureReason,
    Instant createdAt,
    Instant finishedAt) {

  public boolean finished() {
    return status.equals("succeeded") || status.equals("failed");
  }
}
