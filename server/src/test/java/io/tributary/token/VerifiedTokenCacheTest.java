package io.tributary.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.auth.VerifiedToken;
import io.tributary.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A cached token is trusted no longer than its own lifetime allows and only while its key still
 * verifies.
 */
class VerifiedTokenCacheTest {

  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));
  private final VerifiedTokenCache cache = new VerifiedTokenCache(3, clock);
  private final VerifiedToken holder =
      new VerifiedToken.Operator(UUID.randomUUID(), UUID.randomUUID());

  @Test
  void anEntryEndsWhenItsTokenStopsBeingAccepted() {
    cache.put("token", "kid", holder, clock.instant().plusSeconds(60));

    assertThat(cache.get("token", kid -> true)).isEqualTo(holder);
    assertThat(cache.get("other token", kid -> true)).isNull();
    clock.advance(Duration.ofSeconds(60));
    assertThat(cache.get("token", kid -> true)).as("at the token's last accepted instant").isNull();
  }

  @Test
  void anEntryLivesNoLongerThanTheMaximumAgeEvenForALongToken() {
    cache.put("token", "kid", holder, clock.instant().plus(Duration.ofHours(24)));

    clock.advance(VerifiedTokenCache.MAX_AGE.minusSeconds(1));
    assertThat(cache.get("token", kid -> true)).isEqualTo(holder);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("token", kid -> true)).isNull();
  }

  @Test
  void aTokenWhoseKeyNoLongerVerifiesIsNotServed() {
    cache.put("token", "retired", holder, clock.instant().plusSeconds(60));

    assertThat(cache.get("token", "retired"::equals)).isEqualTo(holder);
    assertThat(cache.get("token", kid -> false)).isNull();
    assertThat(cache.size()).as("and is forgotten").isZero();
  }

  @Test
  void theCacheStaysWithinItsCapacity() {
    for (int i = 0; i < 10; i++) {
      cache.put("token " + i, "kid", holder, clock.instant().plusSeconds(60));
      assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
    assertThat(cache.get("token 9", kid -> true)).isEqualTo(holder);
  }
}
