package io.tributary.workspace;

import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * A pool of sync workers; a workspace's data is moved only by workers of its region. Ids are
 * Airbyte's.
 */
public enum Region {
  US(UUID.fromString("645a183f-b12b-4c6e-8ad3-99e165603450"), "US"),
  EU(UUID.fromString("b9e48d61-f082-4a14-a8d0-799a907938cb"), "EU");

  public static final Region DEFAULT = US;

  private final UUID id;
  private final String label;

  Region(UUID id, String label) {
    this.id = id;
    this.label = label;
  }

  public UUID id() {
    return id;
  }

  public String label() {
    return label;
  }

  public static Optional<Region> byId(UUID id) {
    return Arrays.stream(values()).filter(region -> region.id.equals(id)).findFirst();
  }
}
