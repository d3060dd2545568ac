package io.tributary.common;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * With {@code TRIBUTARY_REQUEST_THREADS} set, HTTP requests run on Tomcat's own bounded pool of
 * that many platform threads instead of a virtual thread each; background work keeps its virtual
 * threads. Off by default: see the last paragraph.
 *
 * <p>Measured under load on 2 cores (docs/benchmarks.md, "The API under load"): with a virtual
 * thread per request, every request in flight is interleaved with all the others at each database
 * round trip, and each round trip parks and resumes through the scheduler's poller, so under
 * saturation a request's latency varied with how many others were in flight (p99 about six times
 * the median). A few platform threads serve requests first come, first served, block on the
 * database socket directly, and leave the rest waiting in Tomcat's queue: the p99 came within two
 * to three times the median. The price is that a request that waits long (a connector check,
 * bounded by its 60 s timeout) holds a thread: a few dozen end users testing credentials against
 * hosts that do not answer would queue every other request behind them, health checks included, and
 * a load balancer would then take the node out. A virtual thread per request cannot run out, so it
 * stays the default; the pool is for operators who measured that their tail needs it.
 *
 * <p>Spring Boot installs the virtual-thread executor as a protocol handler customizer; connector
 * customizers run after those, so clearing the executor here lets Tomcat create its own.
 */
@Component
@ConditionalOnProperty("tributary.request-threads")
@Order(Ordered.LOWEST_PRECEDENCE)
class RequestThreads implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addConnectorCustomizers(connector -> connector.getProtocolHandler().setExecutor(null));
  }
}
