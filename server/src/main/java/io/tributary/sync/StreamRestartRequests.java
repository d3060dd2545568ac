package io.tributary.sync;

import io.tributary.catalog.StreamRestarts;
import io.tributary.connection.ConnectionRefreshRepository;
import io.tributary.connection.ConnectionRepository;
import io.tributary.protocol.AirbyteStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Restarts a stream the way a refresh does: its state is set aside at the next sync. */
@Component
class StreamRestartRequests implements StreamRestarts {

  private final ConnectionRepository connections;
  private final ConnectionRefreshRepository refreshes;

  StreamRestartRequests(ConnectionRepository connections, ConnectionRefreshRepository refreshes) {
    this.connections = connections;
    this.refreshes = refreshes;
  }

  @Override
  public void restart(UUID sourceId, AirbyteStream stream, Instant now) {
    for (UUID connection : connections.connectionIdsOfSource(sourceId)) {
      refreshes.request(
          connection,
          List.of(SyncPlanner.stateKey(connection, stream.namespace(), stream.name())),
          now);
    }
  }
}
