package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code TRIBUTARY_CONNECTOR_ENVIRONMENT}: what an operator gives every connector process. */
class ConnectorEnvironmentTest {

  @Test
  void namedValuesAreReadAndAnEntryWithoutANameIsRefused() {
    assertThat(CommandFactory.environment("")).isEmpty();
    assertThat(
            CommandFactory.environment(" HTTPS_PROXY=http://proxy:3128 , TIKTOKEN_CACHE_DIR=/c,"))
        .isEqualTo(Map.of("HTTPS_PROXY", "http://proxy:3128", "TIKTOKEN_CACHE_DIR", "/c"));
    assertThat(CommandFactory.environment("EMPTY=")).isEqualTo(Map.of("EMPTY", ""));
    assertThatThrownBy(() -> CommandFactory.environment("=value"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not NAME=value");
    assertThatThrownBy(() -> CommandFactory.environment("JUSTANAME"))
        .hasMessageContaining("'JUSTANAME' is not NAME=value");
  }
}
