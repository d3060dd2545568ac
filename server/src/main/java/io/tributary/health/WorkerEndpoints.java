package io.tributary.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A worker process has no web server, yet it runs the syncs: it answers {@code /health} (readiness:
 * started and its database answers), {@code /health/live} (liveness, without the database) and
 * {@code /metrics} (Prometheus) on the same local-only port the server uses for its metrics, {@code
 * TRIBUTARY_METRICS_PORT}.
 */
@Component
@ConditionalOnProperty(name = "tributary.role", havingValue = "worker")
class WorkerEndpoints implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WorkerEndpoints.class);

  private final PrometheusMeterRegistry registry;
  private final JdbcClient jdbc;
  private final ApplicationAvailability availability;
  private final int port;
  private final String address;
  private HttpServer server;

  WorkerEndpoints(
      PrometheusMeterRegistry registry,
      JdbcClient jdbc,
      ApplicationAvailability availability,
      @Value("${tributary.metrics-port:9464}") int port,
      @Value("${tributary.metrics-address:127.0.0.1}") String address) {
    this.registry = registry;
    this.jdbc = jdbc;
    this.availability = availability;
    this.port = port;
    this.address = address;
  }

  @Override
  public void start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot open the worker's metrics port " + address + ":" + port, e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    // a context matches by prefix: /health/live is its own, without the database (as the server's)
    server.createContext(
        "/health/live",
        exchange -> {
          boolean alive = availability.getLivenessState() == LivenessState.CORRECT;
          respond(
              exchange,
              alive ? 200 : 503,
              "application/json",
              alive ? "{\"status\":\"ok\"}" : "{\"detail\":\"Broken: restart the process\"}");
        });
    server.createContext(
        "/health",
        exchange -> {
          // this port opens before startup has finished: ready only once Spring Boot says so (as
          // the server's health)
          if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
            respond(
                exchange,
                503,
                "application/json",
                "{\"detail\":\"Not ready: starting or shutting down\"}");
            return;
          }
          boolean up;
          try {
            jdbc.sql("select 1").query(Integer.class).single();
            up = true;
          } catch (RuntimeException e) {
            up = false;
          }
          respond(
              exchange,
              up ? 200 : 503,
              "application/json",
              up ? "{\"status\":\"ok\"}" : "{\"detail\":\"Database unavailable\"}");
        });
    server.start();
    log.info(
        "Worker health and metrics at http://{}:{}/health and /metrics",
        address,
        server.getAddress().getPort());
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }
}
