package io.tributary.organization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.settings.TributaryProperties;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** What the first start prints: a generated secret only where the output is not a service's log. */
class NextStepsTest {

  private static final String GENERATED = "generated-secret-8f3a2c";

  private static TributaryProperties settings(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("tributary", TributaryProperties.class);
  }

  private static Optional<OrganizationService.NewApplication> created(String secret) {
    var app =
        new Application(
            UUID.randomUUID(), UUID.randomUUID(), "bootstrap", "client-1", Instant.now(), null);
    return Optional.of(new OrganizationService.NewApplication(app, secret));
  }

  @Test
  void theQuickstartOnThisMachineShowsTheGeneratedSecretOnce() {
    String out =
        NextSteps.render(settings(Map.of("tributary.bind", "127.0.0.1")), created(GENERATED));
    assertThat(out)
        .contains("export TRIBUTARY_CLIENT_ID='client-1'")
        .contains("export TRIBUTARY_CLIENT_SECRET='" + GENERATED + "'");
  }

  @Test
  void aServerListeningBeyondThisMachineKeepsAGeneratedSecretOutOfItsLogs() {
    String out =
        NextSteps.render(
            settings(Map.of("tributary.bind", "0.0.0.0", "tributary.demo", "false")),
            created(GENERATED));
    assertThat(out)
        .doesNotContain(GENERATED)
        .contains("export TRIBUTARY_CLIENT_ID='client-1'")
        .contains("TRIBUTARY_BOOTSTRAP_CLIENT_SECRET")
        .contains("tributary admin application create");
  }

  @Test
  void aSecretTheOperatorSetIsNeverRepeated() {
    String chosen = "operator-chosen-secret-41d9";
    for (String bind : new String[] {"127.0.0.1", "0.0.0.0"}) {
      String out =
          NextSteps.render(
              settings(
                  Map.of(
                      "tributary.bind", bind,
                      "tributary.demo", "false",
                      "tributary.bootstrap-client-secret", chosen)),
              created(chosen));
      assertThat(out)
          .as(bind)
          .doesNotContain(chosen)
          .contains("export TRIBUTARY_CLIENT_SECRET=\"$TRIBUTARY_BOOTSTRAP_CLIENT_SECRET\"");
    }
  }
}
