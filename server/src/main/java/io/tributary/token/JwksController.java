package io.tributary.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Public;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Applications")
class JwksController {

  private final SigningKeyRing keys;

  JwksController(SigningKeyRing keys) {
    this.keys = keys;
  }

  @Public(metered = false)
  @GetMapping("/api/v1/.well-known/jwks.json")
  @Operation(summary = "The public keys that verify Tributary's tokens")
  ResponseEntity<Map<String, Object>> jwks() {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
        .body(keys.publicKeys().toJSONObject(true));
  }
}
