package io.tributary.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Public;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Applications")
class ApplicationTokenController {

  private final ApplicationTokenService service;

  ApplicationTokenController(ApplicationTokenService service) {
    this.service = service;
  }

  @Public
  @PostMapping("/api/v1/account/applications/token")
  @Operation(summary = "Exchange an application's client_id and client_secret for an operator token")
  AccessToken token(@Valid @RequestBody TokenRequest request, HttpServletRequest http) {
    return service.exchange(request.clientId(), request.clientSecret(), http.getRemoteAddr());
  }

  record TokenRequest(@NotNull @Size(max = 255) String clientId, @NotNull @Size(max = 1024) String clientSecret) {}

  record AccessToken(String accessToken, String tokenType, long expiresIn, UUID organizationId) {}
}
