package io.tributary.engine;

import io.tributary.connector.WriteTarget;
import io.tributary.protocol.ConfiguredAirbyteStream;

/**
 * One stream of a sync: how it is read and where it is written. {@code fromStart} ignores the
 * stream's saved state (a refresh): it reads everything again until its first commit records a new
 * state.
 */
public record StreamPlan(ConfiguredAirbyteStream read, WriteTarget write, boolean fromStart) {

  public StreamPlan(ConfiguredAirbyteStream read, WriteTarget write) {
    this(read, write, false);
  }

  public StreamPlan fromTheStart() {
    return new StreamPlan(read, write, true);
  }

  public String name() {
    return read.stream().name();
  }
}
