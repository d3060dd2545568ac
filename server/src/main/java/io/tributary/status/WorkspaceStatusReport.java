package io.tributary.status;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.workspace.WorkspaceStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A workspace's health in one answer, for a support page: its sources' credentials, and for each
 * connection whether it runs, how its last sync went and when it syncs next.
 *
 * @param healthy every active connection's last finished sync did not fail (or it never ran), and
 *     no source's credentials were refused
 */
public record WorkspaceStatusReport(
    UUID workspaceId,
    String name,
    WorkspaceStatus status,
    List<SourceState> sources,
    List<ConnectionState> connections,
    boolean healthy) {

  /**
   * @param credentialsStatus {@code ok}, or {@code invalid} once the provider refused the source's
   *     credentials (its connections are paused until the end user reconnects it)
   */
  public record SourceState(
      UUID sourceId,
      String name,
      UUID sourceDefinitionId,
      @Schema(allowableValues = {"ok", "invalid"}) String credentialsStatus,
      List<UUID> connectionIds) {}

  /**
   * @param pausedReason why Tributary paused the connection: {@code credentials_invalid} (its
   *     source's credentials were refused; it resumes on reconnect), {@code schema_change} or
   *     {@code breaking_schema_change} (an operator reviews it, then sets it active); null when it
   *     is active or an operator paused it
   * @param lastSync the newest sync that finished (succeeded, failed or cancelled); null if none
   * @param nextSyncAt when the schedule runs it next; null when it or its workspace is inactive, or
   *     it has no schedule
   * @param running a sync is pending (queued or waiting to retry) or running now
   * @param failingStreams the streams whose failure ended the last sync, when it failed; empty
   *     otherwise, and when the failure was not a stream's (a refused check, a schema change)
   * @param allowEndUserSync its connection template lets the end user start a sync ("Sync now")
   */
  public record ConnectionState(
      UUID connectionId,
      UUID sourceId,
      UUID destinationId,
      @Schema(allowableValues = {"active", "inactive"}) String status,
      @Schema(
              allowableValues = {"credentials_invalid", "schema_change", "breaking_schema_change"},
              nullable = true)
          String pausedReason,
      LastSync lastSync,
      LastSuccess lastSuccess,
      Instant nextSyncAt,
      boolean running,
      List<String> failingStreams,
      boolean allowEndUserSync) {}

  /**
   * @param recordsCommitted records committed over every stream
   * @param failureType e.g. {@code config_error}, {@code system_error}, {@code credentials_error};
   *     null unless the sync failed
   */
  public record LastSync(
      UUID jobId,
      @Schema(allowableValues = {"succeeded", "failed", "cancelled"}) String status,
      Instant startedAt,
      Instant endedAt,
      long recordsCommitted,
      String failureType,
      String failureReason) {}

  public record LastSuccess(UUID jobId, Instant endedAt, long recordsCommitted) {}
}
