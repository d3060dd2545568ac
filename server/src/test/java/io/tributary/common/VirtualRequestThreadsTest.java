package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * By default a request gets a virtual thread of its own, so requests that wait long (a connector
 * check) cannot take every thread and queue the rest, health checks included.
 */
class VirtualRequestThreadsTest extends ApiTest {

  @Autowired WebServerApplicationContext context;

  @Test
  void byDefaultNoPoolBoundsTheRequestsInFlight() {
    var connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

    assertThat(connector.getProtocolHandler().getExecutor())
        .isNotInstanceOf(ThreadPoolExecutor.class)
        .isNotNull();
    assertThat(http.get("/api/v1/health", null).status()).isEqualTo(200);
  }
}
