package io.tributary.common;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Puts {@link JsonErrorReportValve} on the host in place of Tomcat's HTML one. Runs after Spring
 * Boot's own Tomcat customizer, which adds a stock ErrorReportValve to the host; that one is
 * removed again here.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class ContainerErrorConfig implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          if (!(context.getParent() instanceof StandardHost host)) {
            return;
          }
          for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
              host.getPipeline().removeValve(valve);
            }
          }
          // The host adds a valve of this class on start unless one is there already.
          host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
          host.getPipeline().addValve(new JsonErrorReportValve());
        });
  }
}
