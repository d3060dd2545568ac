package io.tributary.egress;

import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.settings.TributaryProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The instance's one egress policy (SPEC §17), handed to every connector and to anything else that
 * connects where an end user or operator says. Its settings: {@code TRIBUTARY_EGRESS_ALLOW} (CIDR
 * ranges or host names that may be reached although they are this machine), {@code
 * TRIBUTARY_EGRESS_DENY} (CIDR ranges never reached), and whether the instance is a local one; its
 * own listeners are added as they are bound.
 */
@Configuration(proxyBeanMethods = false)
class EgressConfig {

  @Bean
  EgressPolicy egressPolicy(
      TributaryProperties properties,
      @Value("${tributary.egress-allow:}") String allow,
      @Value("${tributary.egress-deny:}") String deny,
      @Value("${server.port:8080}") int apiPort,
      @Value("${tributary.metrics-port:9464}") int metricsPort) {
    try {
      return EgressPolicy.builder()
          // listening on loopback alone, on its own embedded database: the operator is the only end
          // user
          .localInstance(properties.loopbackOnly() && properties.embeddedDatabase())
          .allow(allow)
          .deny(deny)
          .ownPort(apiPort)
          .ownPort(metricsPort)
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "TRIBUTARY_EGRESS_ALLOW / TRIBUTARY_EGRESS_DENY: " + e.getMessage(), e);
    }
  }

  /** The API's and the metrics' ports as actually bound (a configured 0 means a random one). */
  @Bean
  ApplicationListener<WebServerInitializedEvent> egressOwnListeners(EgressPolicy egress) {
    return event -> egress.ownListener(event.getWebServer().getPort());
  }
}
