package io.tributary.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port for a process the test starts later. {@code new ServerSocket(0)} hands out a port from the
 * kernel's ephemeral range, the same range every outgoing connection (each node's PostgreSQL pool)
 * takes its local port from: in the seconds before the process listens, one of those connections
 * can take it and the process fails to bind. A port below that range is only ever taken by a
 * listener.
 */
public final class FreePort {

  private static final int LOWEST = 20_000;

  private FreePort() {}

  public static int belowEphemeralRange() {
    int ceiling = ephemeralRangeStart();
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, ceiling);
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another listener has it: try another
      }
    }
    throw new IllegalStateException("no free port between " + LOWEST + " and " + ceiling);
  }

  private static int ephemeralRangeStart() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      int start = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
      return Math.max(start, LOWEST + 1_000);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
