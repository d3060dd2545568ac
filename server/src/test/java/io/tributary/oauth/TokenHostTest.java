package io.tributary.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Which end-user values could send the operator's client secret somewhere else. */
class TokenHostTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aSubdomainUnderTheSpecsOwnDomainTakesHostNamesOnly() {
    OAuthFlow zendesk = flow("https://{{ subdomain }}.zendesk.com/oauth/tokens");
    assertThat(TokenHost.refusal(zendesk, "subdomain", "acme")).isEmpty();
    assertThat(TokenHost.refusal(zendesk, "subdomain", "Acme-EU.support")).isEmpty();
    // a host name with dots still ends in .zendesk.com
    assertThat(TokenHost.refusal(zendesk, "subdomain", "evil.example")).isEmpty();
    for (String escape :
        new String[] {
          "evil.example/x?", "evil.example#", "evil.example:443/", "user@evil.example", "a b", ""
        }) {
      assertThat(TokenHost.refusal(zendesk, "subdomain", escape))
          .as(escape)
          .hasValueSatisfying(why -> assertThat(why).contains("host name"));
    }
    OAuthFlow regional = flow("https://login.{{ region | urlencode }}.provider.example/token");
    assertThat(TokenHost.refusal(regional, "region", "eu")).isEmpty();
    assertThat(TokenHost.refusal(regional, "region", "eu/..")).isPresent();
  }

  @Test
  void anInputThatIsTheWholeHostIsTheOperatorsAlone() {
    for (String template :
        new String[] {
          "{{ provider_url }}/token",
          "https://{{ provider_url }}/oauth/token",
          "https://{{ provider_url }}.com/oauth/token",
          "https://{{ provider_url }}zendesk.com/oauth/token",
          "https://{{ provider_url }}.{{ client_id_value }}/token",
          "https://{{ provider_url | b64decode }}.zendesk.com/token",
          "https://auth.example.com:{{ provider_url }}/token"
        }) {
      assertThat(TokenHost.refusal(flow(template), "provider_url", "acme"))
          .as(template)
          .hasValueSatisfying(
              why -> assertThat(why).startsWith("provider_url decides which host receives"));
    }
  }

  @Test
  void anInputOutsideTheHostIsFree() {
    OAuthFlow tenant = flow("https://api.provider.example/{{ tenant }}/token?t={{ tenant }}");
    assertThat(TokenHost.refusal(tenant, "tenant", "anything at all/..?#@")).isEmpty();
    assertThat(TokenHost.refusal(tenant, "other", "evil.example")).isEmpty();
  }

  private static OAuthFlow flow(String accessTokenUrl) {
    ObjectNode spec = JSON.createObjectNode();
    ObjectNode auth = spec.putObject("advanced_auth").put("auth_flow_type", "oauth2.0");
    ObjectNode config = auth.putObject("oauth_config_specification");
    config
        .putObject("oauth_connector_input_specification")
        .put("consent_url", "https://provider.example/authorize?{{ client_id_param }}")
        .put("access_token_url", accessTokenUrl);
    return OAuthFlow.of(spec).map(Optional::of).orElseThrow().orElseThrow();
  }
}
