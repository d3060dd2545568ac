package io.tributary.organization;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The limits an admin sets on an organization: only those named change, and one named with no value
 * goes back to the instance's default.
 *
 * @param limits each limit to change with its new value, null for the default
 */
public record LimitsChange(Map<Limit, Integer> limits) {

  public LimitsChange {
    var copy = new EnumMap<Limit, Integer>(Limit.class);
    copy.putAll(limits);
    limits = Collections.unmodifiableMap(copy);
  }

  /** A limit an organization may have of its own; each is a column of {@code organizations}. */
  public enum Limit {
    RATE_LIMIT_PER_HOUR,
    SCOPED_TOKEN_TTL_SECONDS,
    MIN_SYNC_INTERVAL_SECONDS,
    MAX_CONCURRENT_SYNCS;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
