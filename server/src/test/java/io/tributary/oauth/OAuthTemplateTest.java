package io.tributary.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Airbyte's declarative OAuth specs, read and filled in without any provider code. */
class OAuthTemplateTest {

  @Test
  void templatesTakeVariablesAndFiltersAndRefuseWhatTheyDoNotKnow() {
    Map<String, String> variables =
        Map.of("redirect_uri_value", "https://t.example/cb?x=1", "state_value", "abc", "n", "a b");
    assertThat(OAuthTemplate.render("r={{ redirect_uri_value | urlencode }}", variables))
        .isEqualTo("r=https%3A%2F%2Ft.example%2Fcb%3Fx%3D1");
    assertThat(
            OAuthTemplate.render("{{n|b64encode}}/{{ n | base64Encoder | b64decode }}", variables))
        .isEqualTo("YSBi/a b");
    // RFC 7636 appendix B's example verifier and challenge
    assertThat(OAuthTemplate.codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    assertThat(OAuthTemplate.render("{{ state_value | codechallengeS256 }}", variables))
        .isEqualTo(OAuthTemplate.codeChallenge("abc"));
    assertThatThrownBy(() -> OAuthTemplate.render("{{ client_secret_valu }}", variables))
        .hasMessageContaining("client_secret_valu");
    assertThatThrownBy(() -> OAuthTemplate.render("{{ n | upper }}", variables))
        .hasMessageContaining("upper");
    assertThat(OAuthTemplate.mentions("a={{ code_challenge_value }}", "code_challenge_value"))
        .isTrue();
  }

  @Test
  void aManifestsAdvancedAuthGivesTheFlowAndWhereEachPartLands() throws Exception {
    JsonNode manifest =
        YAMLMapper.builder()
            .build()
            .readTree(
                Files.readString(Path.of("src/test/resources/oauth/source-oauth-items.yaml")));
    OAuthFlow flow = OAuthFlow.of(manifest.get("spec")).orElseThrow();
    assertThat(flow.predicateKey()).containsExactly("credentials", "auth_type");
    assertThat(flow.predicateValue().asString()).isEqualTo("oauth2.0");
    assertThat(flow.outputs())
        .containsEntry("refresh_token", List.of("credentials", "refresh_token"))
        .containsEntry("token_expiry_date", List.of("credentials", "token_expiry_date"));
    assertThat(flow.serverOutputs())
        .containsEntry("client_secret", List.of("credentials", "client_secret"));
    assertThat(flow.serverInputs()).containsExactly("client_id", "client_secret");
    assertThat(flow.userInputs()).containsEntry("provider_url", List.of("provider_url"));
    assertThat(flow.keyName("auth_code")).isEqualTo("code");
    assertThat(OAuthFlow.of(manifest.get("spec").get("connection_specification"))).isEmpty();

    var json = tools.jackson.databind.json.JsonMapper.builder().build();
    assertThat(
            flow.unreachableByConsent(
                json.readTree("{\"credentials\": {\"auth_type\": \"oauth2.0\"}}")))
        .as("a template that chooses OAuth inside the object the consent fills, without its tokens")
        .contains(List.of("credentials", "refresh_token"));
    assertThat(
            flow.unreachableByConsent(
                json.readTree("{\"credentials\": {\"auth_type\": \"api_key\"}}")))
        .as("another way to authenticate: no consent")
        .isEmpty();
    assertThat(flow.unreachableByConsent(json.readTree("{\"provider_url\": \"x\"}")))
        .as("the object left to the end user")
        .isEmpty();
  }
}
