package io.tributary.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CORS for the widget. A preflight carries no token, so it is answered for any origin; the actual
 * request is then refused (403) unless its origin is the widget token's allowed origin, and only
 * that origin gets an {@code Access-Control-Allow-Origin} on the response (see {@link
 * ApiAccessInterceptor}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class CorsFilter extends OncePerRequestFilter {

  private static final String EXPOSED =
      "X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    boolean preflight =
        "OPTIONS".equals(request.getMethod())
            && origin != null
            && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null
            // /v1/ is the public Airbyte API's paths, served as aliases
            && (request.getRequestURI().startsWith("/api/")
                || request.getRequestURI().startsWith("/v1/"));
    if (!preflight) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, PATCH, DELETE");
    response.setHeader(
        HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
        "Authorization, Content-Type, X-Organization-Id, X-Request-Id");
    response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
    response.addHeader(HttpHeaders.VARY, "Origin");
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }

  static void allow(HttpServletResponse response, String origin) {
    response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    response.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
    response.addHeader(HttpHeaders.VARY, "Origin");
  }
}
