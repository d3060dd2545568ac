package io.tributary.token;

import io.tributary.auth.VerifiedToken;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Tokens whose signature and claims were verified, so a client repeating its token does not cost an
 * ES256 verification per request (a quarter of the server's CPU under load, by profile).
 *
 * <p>Only what the token itself proves is kept; whether its holder still exists (a revoked
 * application, a workspace whose tokens were revoked or that was deleted) is still read from the
 * database on every request by the caller, so revocation takes effect at once whether or not the
 * token is cached. An entry is used only while the token is unexpired and the key that signed it
 * still verifies (a key past its grace period drops out of the ring, and its tokens with it).
 *
 * <p>Keyed by the SHA-256 of the token, so no bearer credential is kept in memory. Bounded: when
 * full, expired entries are dropped and, if none were, the whole cache is; a miss costs only one
 * verification.
 */
final class VerifiedTokenCache {

  /** Longest an entry is trusted without verifying its signature again. */
  static final Duration MAX_AGE = Duration.ofMinutes(10);

  private final int capacity;
  private final Clock clock;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

  VerifiedTokenCache(int capacity, Clock clock) {
    this.capacity = capacity;
    this.clock = clock;
  }

  /**
   * The verified claims of {@code token} when cached, unexpired and signed by a key {@code
   * keyVerifies} still accepts; otherwise null (verify it then).
   */
  VerifiedToken get(String token, Predicate<String> keyVerifies) {
    Key key = Key.of(token);
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (!clock.instant().isBefore(entry.until()) || !keyVerifies.test(entry.kid())) {
      entries.remove(key, entry);
      return null;
    }
    return entry.token();
  }

  /**
   * Remembers a verified token until {@code acceptedUntil}, the last instant its lifetime check
   * passes (expiry plus the allowed clock skew), or {@link #MAX_AGE} from now if sooner.
   */
  void put(String token, String kid, VerifiedToken verified, Instant acceptedUntil) {
    Instant now = clock.instant();
    Instant until = acceptedUntil.isBefore(now.plus(MAX_AGE)) ? acceptedUntil : now.plus(MAX_AGE);
    if (entries.size() >= capacity) {
      entries.values().removeIf(entry -> !now.isBefore(entry.until()));
      if (entries.size() >= capacity) {
        entries.clear();
      }
    }
    entries.put(Key.of(token), new Entry(verified, kid, until));
  }

  int size() {
    return entries.size();
  }

  private record Entry(VerifiedToken token, String kid, Instant until) {}

  /** A SHA-256 digest as four longs: cheap to hash and compare. */
  private record Key(long a, long b, long c, long d) {
    static Key of(String token) {
      try {
        ByteBuffer digest =
            ByteBuffer.wrap(
                MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        return new Key(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("Every JVM has SHA-256", e);
      }
    }
  }
}
