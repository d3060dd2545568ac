package io.tributary.testing;

import io.tributary.TributaryApplication;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Another Tributary server in this JVM, for tests of what several nodes on one database share. */
public final class SecondServer implements AutoCloseable {

  private final ConfigurableApplicationContext context;

  public SecondServer(Map<String, String> properties) {
    Map<String, Object> all = new HashMap<>(properties);
    all.put("tributary.metrics-port", "0");
    // application.properties sets server.port from tributary.port and wins over default properties:
    // a random port is asked for on the command line, which wins over both, while tributary.port
    // (and
    // so the public URL that tokens name) stays the first server's
    context =
        new SpringApplicationBuilder(TributaryApplication.class)
            .properties(all)
            .run("--server.port=0");
  }

  public int port() {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
