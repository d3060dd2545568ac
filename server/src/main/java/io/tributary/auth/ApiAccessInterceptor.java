package io.tributary.auth;

import io.tributary.common.ForbiddenException;
import io.tributary.common.TooManyRequestsException;
import io.tributary.common.UnauthorizedException;
import io.tributary.ratelimit.ClientAddress;
import io.tributary.ratelimit.RateLimiter;
import io.tributary.settings.TributaryProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Runs once a route is matched (so unknown routes stay 404 and wrong methods 405): authenticates
 * the caller, applies the organization's rate limit (or the client address's, for public routes and
 * failed authentication), and enforces {@code X-Organization-Id} and the widget token's allowed
 * origin.
 */
@Component
class ApiAccessInterceptor implements HandlerInterceptor {

  static final String CALLER_ATTRIBUTE = Caller.class.getName();
  private static final Duration WINDOW = Duration.ofHours(1);

  private final Authenticator authenticator;
  private final RateLimiter rateLimiter;
  private final int defaultLimit;
  private final String publicOrigin;

  ApiAccessInterceptor(
      Authenticator authenticator, RateLimiter rateLimiter, TributaryProperties properties) {
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
    this.defaultLimit = properties.rateLimitPerHour();
    this.publicOrigin = Origins.normalize(properties.publicBaseUrl().toString()).orElse("");
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)
        || !method.getBeanType().getPackageName().startsWith("io.tributary")) {
      // unknown routes, static files, the API documents: not counted, but the caller still learns
      // where it stands
      headers(
          rateLimiter.peek(
              "address:" + ClientAddress.key(request.getRemoteAddr()), defaultLimit, WINDOW),
          response);
      return true;
    }
    Public open =
        method.hasMethodAnnotation(Public.class)
            ? method.getMethodAnnotation(Public.class)
            : method.getBeanType().getAnnotation(Public.class);
    if (open != null) {
      if (open.metered()) {
        limit("address:" + ClientAddress.key(request.getRemoteAddr()), defaultLimit, response);
      } else {
        headers(
            rateLimiter.peek(
                "address:" + ClientAddress.key(request.getRemoteAddr()), defaultLimit, WINDOW),
            response);
      }
      return true;
    }
    Authenticator.Authenticated authenticated;
    try {
      authenticated = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
    } catch (UnauthorizedException unauthorized) {
      limit("address:" + ClientAddress.key(request.getRemoteAddr()), defaultLimit, response);
      throw unauthorized;
    }
    Caller caller = authenticated.caller();
    int limit =
        authenticated.rateLimitOverride() > 0 ? authenticated.rateLimitOverride() : defaultLimit;
    limit("organization:" + caller.organizationId(), limit, response);
    checkOrganizationHeader(request, caller);
    checkOrigin(request, response, caller);
    request.setAttribute(CALLER_ATTRIBUTE, caller);
    return true;
  }

  private void limit(String bucket, int limit, HttpServletResponse response) {
    RateLimiter.Decision decision = rateLimiter.hit(bucket, limit, WINDOW);
    headers(decision, response);
    if (!decision.allowed()) {
      throw new TooManyRequestsException("Rate limit exceeded", decision.retryAfter());
    }
  }

  private static void headers(RateLimiter.Decision decision, HttpServletResponse response) {
    response.setHeader("X-RateLimit-Limit", Integer.toString(decision.limit()));
    response.setHeader("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
    response.setHeader("X-RateLimit-Reset", Long.toString(decision.reset().getEpochSecond()));
  }

  private static void checkOrganizationHeader(HttpServletRequest request, Caller caller) {
    String organization = request.getHeader("X-Organization-Id");
    if (organization != null
        && !organization.isBlank()
        && !organization.trim().equalsIgnoreCase(caller.organizationId().toString())) {
      throw new ForbiddenException();
    }
  }

  /**
   * Browser calls with a widget-derived token come from the token's origin or from the widget's own
   * page.
   */
  private void checkOrigin(
      HttpServletRequest request, HttpServletResponse response, Caller caller) {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    Optional<WidgetScope> widget = caller.widgetScope();
    if (origin == null || widget.isEmpty()) {
      return;
    }
    String allowed = Origins.normalize(widget.get().allowedOrigin()).orElse("");
    String actual = Origins.normalize(origin).orElse("invalid");
    if (actual.equals(allowed)) {
      CorsFilter.allow(response, origin);
    } else if (!actual.equals(publicOrigin)) {
      throw new ForbiddenException();
    }
  }
}
