package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With TRIBUTARY_REQUEST_THREADS set, requests run on Tomcat's bounded pool of platform threads
 * although virtual threads are on for the rest of the application (the latency tail under load,
 * docs/benchmarks.md). Its own context, without a worker, closed after the class.
 */
@DirtiesContext
@TestPropertySource(properties = {"tributary.request-threads=16", "tributary.worker.enabled=false"})
class RequestThreadsTest extends ApiTest {

  @Autowired WebServerApplicationContext context;

  @Test
  void requestsRunOnABoundedPoolOfPlatformThreads() {
    var connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

    assertThat(connector.getProtocolHandler().getExecutor())
        .isInstanceOfSatisfying(
            ThreadPoolExecutor.class, pool -> assertThat(pool.getMaximumPoolSize()).isEqualTo(16));
    // and the server still answers through it
    assertThat(http.get("/api/v1/health", null).status()).isEqualTo(200);
  }
}
