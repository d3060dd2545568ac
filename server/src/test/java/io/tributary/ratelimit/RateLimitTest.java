package io.tributary.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Http;
import io.tributary.testing.SecondServer;
import io.tributary.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitTest extends ApiTest {

  private static final String INFO = "/api/v1/embedded/scoped-token/info";

  @Test
  void everyAuthenticatedResponseCarriesTheHeaders() {
    var tenant = fixtures.tenant();
    var response = http.get(INFO, fixtures.scopedToken(tenant, "headers"));

    assertThat(response.header("X-RateLimit-Limit")).isEqualTo("1000000");
    assertThat(Integer.parseInt(response.header("X-RateLimit-Remaining"))).isLessThan(1000000);
    long reset = Long.parseLong(response.header("X-RateLimit-Reset"));
    assertThat(reset)
        .isGreaterThan(System.currentTimeMillis() / 1000)
        .isLessThanOrEqualTo(System.currentTimeMillis() / 1000 + 3600);
    assertThat(response.header("X-Request-Id")).isNotBlank();
  }

  @Test
  void livenessStaysOutsideTheRateLimiterWhichCountsInTheDatabase() {
    var live = http.get("/api/v1/health/live", null);
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(live.header("X-RateLimit-Limit")).isNull();
  }

  @Test
  void healthUnknownRoutesAndTheChangelogCarryTheHeadersToo() {
    for (String path :
        List.of("/api/v1/health", "/api/v1/no-such-route", "/no-such-page", "/api/v1/changelog")) {
      var response = http.get(path, null);
      assertThat(response.header("X-RateLimit-Limit"))
          .as(path + " → " + response.status())
          .isNotBlank();
      assertThat(response.header("X-RateLimit-Remaining")).as(path).isNotBlank();
      assertThat(response.header("X-RateLimit-Reset")).as(path).isNotBlank();
    }
    assertThat(http.get("/api/v1/no-such-route", null).status()).isEqualTo(404);
    var changelog = http.get("/api/v1/changelog", null);
    assertThat(changelog.status()).isEqualTo(200);
    assertThat(changelog.json().get("versions").get(0).get("changes").size()).isPositive();
  }

  @Test
  void requestPastTheOrganizationLimitIs429AndTheCountIsSharedByTwoServers() {
    String database = TestDatabase.sharedUrl();
    try (SecondServer second = new SecondServer(ApiTest.properties(database))) {
      Http other = new Http(second.port());
      // A window boundary inside the loop would reset the count; then the run is repeated once.
      for (int attempt = 0; attempt < 2; attempt++) {
        if (limitHoldsAcross(List.of(http, other))) {
          return;
        }
      }
      throw new AssertionError("the limit did not hold in two attempts");
    }
  }

  private boolean limitHoldsAcross(List<Http> servers) {
    int limit = 5;
    var tenant = fixtures.tenant(limit);
    // Minting this token is the first request of the organization's window.
    String token = fixtures.scopedToken(tenant, "limited");
    List<Http.Response> responses = new ArrayList<>();
    for (int i = 1; i < limit; i++) {
      responses.add(servers.get(i % servers.size()).get(INFO, token));
    }
    Http.Response over = servers.get(0).get(INFO, token);
    responses.add(over);
    long distinctResets =
        responses.stream().map(r -> r.header("X-RateLimit-Reset")).distinct().count();
    if (distinctResets > 1) {
      return false;
    }

    for (int i = 0; i < limit - 1; i++) {
      Http.Response response = responses.get(i);
      assertThat(response.status()).as("request %d: %s", i + 2, response).isEqualTo(200);
      assertThat(response.header("X-RateLimit-Limit")).isEqualTo("5");
      assertThat(response.header("X-RateLimit-Remaining"))
          .isEqualTo(Integer.toString(limit - 2 - i));
    }
    assertThat(over.status()).isEqualTo(429);
    assertThat(over.body())
        .isEqualTo("{\"detail\":\"Rate limit exceeded\",\"message\":\"Rate limit exceeded\"}");
    assertThat(over.header("X-RateLimit-Remaining")).isEqualTo("0");
    long retryAfter = Long.parseLong(over.header("Retry-After"));
    assertThat(retryAfter).isBetween(1L, 3600L);
    assertThat(servers.get(1).get(INFO, token).status()).isEqualTo(429);
    return true;
  }

  @Test
  void oneOrganizationsLimitDoesNotTouchAnother() {
    var limited = fixtures.tenant(1);
    var free = fixtures.tenant();
    fixtures.requestScopedToken(limited, Map.of("workspace_name", "a"));
    assertThat(fixtures.requestScopedToken(limited, Map.of("workspace_name", "a")).status())
        .isEqualTo(429);
    assertThat(fixtures.requestScopedToken(free, Map.of("workspace_name", "a")).status())
        .isEqualTo(200);
  }
}
