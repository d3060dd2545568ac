package io.tributary.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.settings.TributaryProperties;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Where providers send the browser back to, and which Host headers may decide it. */
class CallbackUrlTest {

  @AfterEach
  void forgetRequest() {
    RequestContextHolder.resetRequestAttributes();
  }

  @Test
  void theRequestsHostCountsOnlyWhileTheApiListensOnLoopbackAlone() {
    requestWithHost("evil.example");
    assertThat(new CallbackUrl(properties(null, "127.0.0.1")).current())
        .as("only this machine reaches the API")
        .isEqualTo("http://evil.example/api/v1/oauth/callback");
    assertThat(new CallbackUrl(properties(null, "0.0.0.0")).current())
        .as("any client reaches it: its Host header decides nothing")
        .isEqualTo("http://localhost:8080/api/v1/oauth/callback");
    assertThat(new CallbackUrl(properties("https://data.example.com/", "0.0.0.0")).current())
        .isEqualTo("https://data.example.com/api/v1/oauth/callback");
  }

  private static void requestWithHost(String host) {
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setServerName(host);
    request.setServerPort(80);
    RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
  }

  private static TributaryProperties properties(String publicUrl, String bind) {
    return new TributaryProperties(
        8080,
        Path.of("./data"),
        null,
        publicUrl,
        null,
        null,
        null,
        null,
        true,
        1000,
        10,
        50,
        Duration.ofMinutes(15),
        Duration.ofMinutes(20),
        DataSize.ofMegabytes(1),
        Duration.ofMinutes(5),
        null,
        bind);
  }
}
