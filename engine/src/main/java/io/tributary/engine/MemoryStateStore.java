package io.tributary.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * States kept in memory: for a sync nothing resumes from later (benchmarks, tests, a one-off copy).
 */
public final class MemoryStateStore implements StateStore {

  private final Map<String, JsonNode> states = new ConcurrentHashMap<>();

  @Override
  public JsonNode load(String stateKey) {
    return states.get(stateKey);
  }

  @Override
  public void save(String stateKey, JsonNode state) {
    states.put(stateKey, state);
  }

  /** Every state saved so far, by state key. */
  public Map<String, JsonNode> states() {
    return Map.copyOf(states);
  }
}
