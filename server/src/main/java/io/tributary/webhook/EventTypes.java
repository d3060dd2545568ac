package io.tributary.webhook;

import java.util.Set;

/** The events an endpoint may subscribe to (SPEC §16), besides {@code *} for all. */
final class EventTypes {

  static final Set<String> ALL =
      Set.of(
          "workspace.created",
          "workspace.deleted",
          "source.created",
          "source.updated",
          "source.deleted",
          "source.check_failed",
          "source.credentials_invalid",
          "connection.created",
          "connection.paused",
          "sync.started",
          "sync.succeeded",
          "sync.failed",
          "sync.cancelled",
          "webhook.disabled",
          "webhook.test");

  private EventTypes() {}
}
