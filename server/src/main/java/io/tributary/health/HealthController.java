package io.tributary.health;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Public;
import io.tributary.common.UnavailableException;
import java.util.Map;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Health")
public class HealthController {

  /** The liveness route, which the access interceptor leaves alone. */
  public static final String LIVE = "/api/v1/health/live";

  private final JdbcClient jdbc;
  private final ApplicationAvailability availability;

  HealthController(JdbcClient jdbc, ApplicationAvailability availability) {
    this.jdbc = jdbc;
    this.availability = availability;
  }

  /**
   * The port opens before the application is fully started; Spring Boot declares it ready to accept
   * traffic only after every startup step (migrations, bootstrap organization and application,
   * signing key) has run, and no longer once shutdown begins. Until then callers polling health
   * must wait, or the credentials printed at first start could be refused.
   */
  @Public(metered = false)
  @GetMapping("/api/v1/health")
  @Operation(
      summary =
          "200 once the server is ready to serve every call and its database answers; 503 while starting or stopping")
  Map<String, String> health() {
    if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
      throw new UnavailableException("Not ready: starting or shutting down");
    }
    try {
      jdbc.sql("select 1").query(Integer.class).single();
    } catch (RuntimeException e) {
      throw new UnavailableException("Database unavailable");
    }
    return Map.of("status", "ok");
  }

  /**
   * Liveness, for a supervisor deciding whether to restart the process: it answers without the
   * database (and outside the rate limiter, which counts in it), so an unreachable database makes
   * every node unready, never restarted in a loop.
   */
  @Public(metered = false)
  @GetMapping(LIVE)
  @Operation(
      summary =
          "200 while the process is alive, whether or not its database answers (liveness); 503 once it is broken")
  Map<String, String> live() {
    if (availability.getLivenessState() != LivenessState.CORRECT) {
      throw new UnavailableException("Broken: restart the process");
    }
    return Map.of("status", "ok");
  }
}
