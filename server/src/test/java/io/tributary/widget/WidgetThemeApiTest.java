package io.tributary.widget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An organization's widget look: set by its operator, read by its end users, validated, and nobody
 * else's.
 */
class WidgetThemeApiTest extends ApiTest {

  static final String THEME = "/api/v1/embedded/widget-theme";
  static final String LOGO =
      "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=";

  private io.tributary.testing.Http.Response put(String token, Object body) {
    return http.put(THEME, token, body);
  }

  @Test
  void theOperatorSetsItAndEndUsersReadIt() {
    var tenant = fixtures.tenant();
    String scoped = fixtures.scopedToken(tenant, "themed");
    var initial = http.get(THEME, scoped).json();
    assertThat(initial.get("primary_color").asString()).isEqualTo("#3b5bdb");
    assertThat(initial.get("name").isNull()).isTrue();

    var set =
        put(
            tenant.operatorToken(),
            Map.of("name", " Acme Analytics ", "primary_color", "#0B7285", "logo_url", LOGO));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    var seen = http.get(THEME, scoped).json();
    assertThat(seen.get("name").asString()).isEqualTo("Acme Analytics");
    assertThat(seen.get("primary_color").asString()).isEqualTo("#0b7285");
    assertThat(seen.get("logo_url").asString()).isEqualTo(LOGO);

    var other = fixtures.tenant();
    assertThat(http.get(THEME, other.operatorToken()).json().get("primary_color").asString())
        .as("another organization's look")
        .isEqualTo("#3b5bdb");
    assertThat(put(scoped, Map.of("name", "Mine")).status())
        .as("end users cannot change it")
        .isEqualTo(403);
  }

  @Test
  void badValuesAreRefusedAndChangeNothing() {
    var tenant = fixtures.tenant();
    assertThat(
            put(tenant.operatorToken(), Map.of("name", "Acme", "primary_color", "#112233"))
                .status())
        .isEqualTo(200);
    for (Map<String, Object> bad :
        java.util.List.<Map<String, Object>>of(
            Map.of("primary_color", "red"),
            Map.of("primary_color", "#12345"),
            Map.of("logo_url", "http://logo.example/a.png"),
            Map.of("logo_url", "javascript:alert(1)"),
            Map.of("logo_url", "https://a.example/\" onerror=\"x"),
            Map.of("logo_url", "data:text/html;base64,PHNjcmlwdD4="),
            Map.of("name", "n".repeat(81)))) {
      var refused = put(tenant.operatorToken(), bad);
      assertThat(refused.status()).as(bad.toString()).isEqualTo(422);
      assertThat(refused.json().has("detail")).isTrue();
    }
    var kept = http.get(THEME, tenant.operatorToken()).json();
    assertThat(kept.get("name").asString()).isEqualTo("Acme");
    assertThat(kept.get("primary_color").asString()).isEqualTo("#112233");
  }
}
