package io.tributary.token;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Public;
import io.tributary.common.ValidationException;
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

  private static final String CLIENT_CREDENTIALS = "client_credentials";

  private final ApplicationTokenService service;

  ApplicationTokenController(ApplicationTokenService service) {
    this.service = service;
  }

  /**
   * Also at the public Airbyte API's path ({@code /v1/applications/token}, at the root and under
   * {@code /api}), which Airbyte's sample apps and widget demo call with {@code "grant-type":
   * "client_credentials"}.
   */
  @Public
  @PostMapping({
    "/api/v1/account/applications/token",
    "/api/v1/applications/token",
    "/v1/applications/token"
  })
  @Operation(
      summary = "Exchange an application's client_id and client_secret for an operator token")
  AccessToken token(@Valid @RequestBody TokenRequest request, HttpServletRequest http) {
    if (request.grantType() != null && !CLIENT_CREDENTIALS.equals(request.grantType())) {
      throw ValidationException.body(
          "grant_type",
          "unsupported grant type; only client_credentials is supported",
          "value_error.grant_type");
    }
    // the connection's peer: X-Forwarded-For is only believed when the operator configures a
    // trusted proxy
    // (server.forward-headers-strategy), which then rewrites the remote address
    var issued = service.exchange(request.clientId(), request.clientSecret(), http.getRemoteAddr());
    return new AccessToken(
        issued.token().token(),
        "bearer",
        issued.token().ttl().toSeconds(),
        issued.organizationId());
  }

  /**
   * @param grantType optional; Airbyte's clients send it as {@code grant-type}
   */
  record TokenRequest(
      @NotNull @Size(max = 255) String clientId,
      @NotNull @Size(max = 1024) String clientSecret,
      @JsonAlias("grant-type") String grantType) {}

  record AccessToken(String accessToken, String tokenType, long expiresIn, UUID organizationId) {}
}
