package io.tributary.auth;

import io.tributary.common.UnauthorizedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns a request's bearer token (its {@code Authorization} header) into a {@link Caller}, or a
 * 401.
 */
@Component
class Authenticator {

  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

  private final TokenVerifier tokens;
  private final CallerRepository callers;

  Authenticator(TokenVerifier tokens, CallerRepository callers) {
    this.tokens = tokens;
    this.callers = callers;
  }

  /**
   * @param header the request's {@code Authorization} header, null when it has none
   */
  Authenticated authenticate(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new UnauthorizedException();
    }
    VerifiedToken token;
    try {
      token = tokens.verify(header.substring(7).trim());
    } catch (InvalidTokenException e) {
      log.debug("Rejected a bearer token: {}", e.getMessage());
      throw new UnauthorizedException();
    }
    return switch (token) {
      case VerifiedToken.Operator operator ->
          callers
              .activeApplication(operator.organizationId(), operator.applicationId())
              .map(
                  limit ->
                      new Authenticated(
                          new OperatorCaller(operator.organizationId(), operator.applicationId()),
                          limit))
              .orElseThrow(UnauthorizedException::new);
      case VerifiedToken.EndUser endUser ->
          callers
              .liveWorkspace(endUser.organizationId(), endUser.workspaceId(), endUser.generation())
              .map(
                  holder ->
                      new Authenticated(
                          new EndUserCaller(
                              endUser.organizationId(),
                              endUser.workspaceId(),
                              holder.name(),
                              endUser.widget()),
                          holder.rateLimit()))
              .orElseThrow(UnauthorizedException::new);
    };
  }

  /**
   * @param rateLimitOverride the organization's requests per hour, or a negative number for the
   *     default
   */
  record Authenticated(Caller caller, int rateLimitOverride) {}
}
