package io.tributary.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationTokenTest extends ApiTest {

  @Test
  void exchangesGoodCredentialsForAFifteenMinuteOperatorToken() {
    var tenant = fixtures.tenant();
    var response = http.post("/api/v1/account/applications/token", null,
        Map.of("client_id", tenant.clientId(), "client_secret", tenant.clientSecret()));

    assertThat(response.status()).isEqualTo(200);
    var body = response.json();
    assertThat(body.get("token_type").asString()).isEqualTo("bearer");
    assertThat(body.get("expires_in").asInt()).isEqualTo(900);
    assertThat(body.get("organization_id").asString()).isEqualTo(tenant.organizationId().toString());
    assertThat(body.get("access_token").asString()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
  }

  @Test
  void wrongSecretAndUnknownClientAreBoth401WithTheSameBody() {
    var tenant = fixtures.tenant();
    var wrongSecret = http.post("/api/v1/account/applications/token", null,
        Map.of("client_id", tenant.clientId(), "client_secret", tenant.clientSecret() + "x"));
    var unknownClient = http.post("/api/v1/account/applications/token", null,
        Map.of("client_id", "no-such-client", "client_secret", tenant.clientSecret()));

    assertThat(wrongSecret.status()).isEqualTo(401);
    assertThat(unknownClient.status()).isEqualTo(401);
    assertThat(wrongSecret.body()).isEqualTo(unknownClient.body()).isEqualTo("{\"detail\":\"Invalid authentication credentials\"}");
  }

  @Test
  void missingFieldsAre422NamingTheField() {
    var response = http.post("/api/v1/account/applications/token", null, Map.of("client_id", "x"));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"client_secret\"]");
    assertThat(response.json().get("detail").get(0).get("type").asString()).isEqualTo("value_error.missing");
  }

  @Test
  void repeatedFailuresForOneClientAreRefusedEvenWithTheRightSecret() {
    var tenant = fixtures.tenant();
    for (int i = 0; i < 10; i++) {
      assertThat(http.post("/api/v1/account/applications/token", null,
          Map.of("client_id", tenant.clientId(), "client_secret", "guess-" + i)).status()).isEqualTo(401);
    }

    var response = http.post("/api/v1/account/applications/token", null,
        Map.of("client_id", tenant.clientId(), "client_secret", tenant.clientSecret()));

    assertThat(response.status()).isEqualTo(429);
    assertThat(response.header("Retry-After")).isNotBlank();
    assertThat(response.json().get("detail").asString()).contains("Too many failed attempts");
  }

  @Test
  void revokedApplicationCanNeitherExchangeNorUseItsTokens() {
    var tenant = fixtures.tenant();
    var revoke = http.send("DELETE", "/api/v1/admin/applications/" + tenant.applicationId(),
        io.tributary.testing.Fixtures.ADMIN_KEY, null, Map.of());
    assertThat(revoke.status()).isEqualTo(200);

    assertThat(http.post("/api/v1/account/applications/token", null,
        Map.of("client_id", tenant.clientId(), "client_secret", tenant.clientSecret())).status()).isEqualTo(401);
    assertThat(http.post("/api/v1/embedded/scoped-token", tenant.operatorToken(),
        Map.of("workspace_name", "w")).status()).isEqualTo(401);
  }
}
