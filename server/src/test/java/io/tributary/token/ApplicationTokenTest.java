package io.tributary.token;

import static io.tributary.testing.ApiAssertions.assertInvalidAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Http;
import io.tributary.testing.SecondServer;
import io.tributary.testing.TestDatabase;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ApplicationTokenTest extends ApiTest {

  @Test
  void exchangesGoodCredentialsForAFifteenMinuteOperatorToken() {
    var tenant = fixtures.tenant();
    var response = fixtures.requestOperatorToken(tenant.clientId(), tenant.clientSecret());

    assertThat(response.status()).isEqualTo(200);
    var body = response.json();
    assertThat(body.get("token_type").asString()).isEqualTo("bearer");
    assertThat(body.get("expires_in").asInt()).isEqualTo(900);
    assertThat(body.get("organization_id").asString())
        .isEqualTo(tenant.organizationId().toString());
    assertThat(body.get("access_token").asString()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
  }

  @Test
  void wrongSecretAndUnknownClientAreBoth401WithTheSameBody() {
    var tenant = fixtures.tenant();
    var wrongSecret = fixtures.requestOperatorToken(tenant.clientId(), tenant.clientSecret() + "x");
    var unknownClient = fixtures.requestOperatorToken("no-such-client", tenant.clientSecret());

    assertThat(wrongSecret.status()).isEqualTo(401);
    assertThat(unknownClient.status()).isEqualTo(401);
    assertThat(wrongSecret.body()).isEqualTo(unknownClient.body());
    assertThat(wrongSecret.json().get("detail").asString())
        .isEqualTo("Invalid authentication credentials");
  }

  @Test
  void missingFieldsAre422NamingTheField() {
    var response = http.post("/api/v1/account/applications/token", null, Map.of("client_id", "x"));

    assertInvalidAt(response, "[\"body\",\"client_secret\"]");
    assertThat(response.errorType()).isEqualTo("value_error.missing");
  }

  @Test
  void guessingFromOneAddressLimitsThatAddressButNeverLocksTheOwnerOut() {
    // The failure counters live in one-minute windows: a run that straddles a window boundary is
    // repeated.
    passesWithinOneWindow(
        () -> {
          var tenant = fixtures.tenant();
          Http attacker = new Http(port, randomLoopbackAddress());
          Http owner = new Http(port, randomLoopbackAddress());
          long minute = currentMinute();

          List<Http.Response> guesses = new ArrayList<>();
          for (int i = 0; i < 30; i++) {
            guesses.add(exchange(attacker, tenant.clientId(), "guess-" + i));
          }
          var ownerWithTheRightSecret = exchange(owner, tenant.clientId(), tenant.clientSecret());
          var attackerWithTheRightSecret =
              exchange(attacker, tenant.clientId(), tenant.clientSecret());
          if (currentMinute() != minute) {
            return false;
          }

          for (int i = 0; i < 10; i++) {
            assertThat(guesses.get(i).status())
                .as("guess %d: %s", i + 1, guesses.get(i))
                .isEqualTo(401);
          }
          for (int i = 10; i < 30; i++) {
            assertThat(guesses.get(i).status())
                .as("guess %d: %s", i + 1, guesses.get(i))
                .isEqualTo(429);
            assertThat(guesses.get(i).header("Retry-After")).isNotBlank();
            assertThat(guesses.get(i).json().get("detail").asString())
                .contains("Too many failed attempts");
          }
          assertThat(ownerWithTheRightSecret.status())
              .as(ownerWithTheRightSecret.toString())
              .isEqualTo(200);
          assertThat(ownerWithTheRightSecret.json().get("access_token").asString()).isNotBlank();
          assertThat(attackerWithTheRightSecret.status())
              .as(attackerWithTheRightSecret.toString())
              .isEqualTo(429);
          assertThat(attackerWithTheRightSecret.body()).doesNotContain(tenant.clientSecret());
          return true;
        });
  }

  @Test
  void oneAddressGuessingAcrossManyClientIdsIsLimitedAsAWhole() {
    Map<String, String> properties = new HashMap<>(ApiTest.properties(TestDatabase.sharedUrl()));
    properties.put("tributary.failed-logins-per-address-per-minute", "5");
    try (SecondServer server = new SecondServer(properties)) {
      passesWithinOneWindow(
          () -> {
            var tenant = fixtures.tenant();
            Http attacker = new Http(server.port(), randomLoopbackAddress());
            Http owner = new Http(server.port(), randomLoopbackAddress());
            long minute = currentMinute();

            List<Http.Response> sprayed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
              sprayed.add(exchange(attacker, "client-" + UUID.randomUUID(), "guess"));
            }
            var attackerOnAFreshClientId =
                exchange(attacker, "client-" + UUID.randomUUID(), "guess");
            var attackerWithARealSecret =
                exchange(attacker, tenant.clientId(), tenant.clientSecret());
            var ownerElsewhere = exchange(owner, tenant.clientId(), tenant.clientSecret());
            if (currentMinute() != minute) {
              return false;
            }

            assertThat(sprayed)
                .allSatisfy(response -> assertThat(response.status()).isEqualTo(401));
            assertThat(attackerOnAFreshClientId.status()).isEqualTo(429);
            assertThat(attackerWithARealSecret.status()).isEqualTo(429);
            assertThat(ownerElsewhere.status()).as(ownerElsewhere.toString()).isEqualTo(200);
            return true;
          });
    }
  }

  @Test
  void anIpv6ClientIsCountedByItsSlash64() {
    assertThat(ApplicationTokenService.addressKey("2001:db8:1:2:aaaa::1"))
        .isEqualTo(ApplicationTokenService.addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"))
        .isEqualTo("20010db800010002::/64");
    assertThat(ApplicationTokenService.addressKey("2001:db8:1:3::1"))
        .isEqualTo("20010db800010003::/64");
    assertThat(ApplicationTokenService.addressKey("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ApplicationTokenService.addressKey("192.0.2.7")).isEqualTo("192.0.2.7");
  }

  private static Http.Response exchange(Http client, String clientId, String clientSecret) {
    return client.post(
        "/api/v1/account/applications/token",
        null,
        Map.of("client_id", clientId, "client_secret", clientSecret));
  }

  /**
   * Runs {@code scenario} until it reports a run inside one rate-limit window; two boundaries in a
   * row cannot happen.
   */
  private static void passesWithinOneWindow(BooleanSupplier scenario) {
    for (int attempt = 0; attempt < 2; attempt++) {
      if (scenario.getAsBoolean()) {
        return;
      }
    }
    throw new AssertionError("two runs in a row straddled a window boundary");
  }

  private static long currentMinute() {
    return System.currentTimeMillis() / 60_000;
  }

  /**
   * A fresh address of 127.0.0.0/8 (all of it is loopback on Linux), so no earlier run's counters
   * apply.
   */
  private static InetAddress randomLoopbackAddress() {
    var random = ThreadLocalRandom.current();
    try {
      return InetAddress.getByAddress(
          new byte[] {
            127,
            (byte) random.nextInt(1, 255),
            (byte) random.nextInt(1, 255),
            (byte) random.nextInt(2, 255)
          });
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void revokedApplicationCanNeitherExchangeNorUseItsTokens() {
    var tenant = fixtures.tenant();
    var revoke =
        http.delete(
            "/api/v1/admin/applications/" + tenant.applicationId(),
            io.tributary.testing.Fixtures.ADMIN_KEY);
    assertThat(revoke.status()).isEqualTo(200);

    assertThat(fixtures.requestOperatorToken(tenant.clientId(), tenant.clientSecret()).status())
        .isEqualTo(401);
    assertThat(fixtures.requestScopedToken(tenant, Map.of("workspace_name", "w")).status())
        .isEqualTo(401);
  }
}
