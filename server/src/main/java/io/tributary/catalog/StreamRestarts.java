package io.tributary.catalog;

import io.tributary.protocol.AirbyteStream;
import java.time.Instant;
import java.util.UUID;

/**
 * Has a stream read again from the start by its source's connections: its configuration changed so
 * that the state they saved no longer fits it. A connector's state names a position on the cursor
 * it was read with (an Airbyte connector's state is its own, so Tributary cannot tell), and
 * resuming on another cursor from it would skip records. The sync feature implements it: states are
 * its own.
 */
public interface StreamRestarts {

  /** Marks the stream for each live connection of the source; joins the caller's transaction. */
  void restart(UUID sourceId, AirbyteStream stream, Instant now);
}
