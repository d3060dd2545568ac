package io.tributary.engine;

import io.tributary.connector.WriteTarget;
import io.tributary.protocol.ConfiguredAirbyteStream;

/** One stream of a sync: how it is read and where it is written. */
public record StreamPlan(ConfiguredAirbyteStream read, WriteTarget write) {

  public String name() {
    return read.stream().name();
  }
}
