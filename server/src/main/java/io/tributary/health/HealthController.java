package io.tributary.health;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Public;
import io.tributary.common.ApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Health")
class HealthController {

  private final JdbcClient jdbc;

  HealthController(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Public(metered = false)
  @GetMapping("/api/v1/health")
  @Operation(summary = "200 once the server is ready and its database answers")
  Map<String, String> health() {
    try {
      jdbc.sql("select 1").query(Integer.class).single();
    } catch (RuntimeException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable");
    }
    return Map.of("status", "ok");
  }
}
