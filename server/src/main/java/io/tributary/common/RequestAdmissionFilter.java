package io.tributary.common;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets API requests work a few at a time ({@link RequestAdmission}): {@code
 * TRIBUTARY_REQUEST_CONCURRENCY} at once, two per processor by default (the best of 2, 4 and 8 on 2
 * cores, docs/benchmarks.md), 0 for no limit. Health checks are never held back: a load balancer
 * must see a busy node as up.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestAdmissionFilter extends OncePerRequestFilter implements DisposableBean {

  /** Longer than an API request takes under load, far shorter than a connector's answer. */
  static final Duration GRACE = Duration.ofMillis(250);

  private static final String HEALTH = "/api/v1/health";

  private final RequestAdmission admission;
  private final Thread sweeper;

  RequestAdmissionFilter(@Value("${tributary.request-concurrency:#{null}}") Integer concurrency) {
    int permits =
        concurrency != null ? concurrency : 2 * Runtime.getRuntime().availableProcessors();
    if (permits < 0) {
      throw new IllegalArgumentException(
          "tributary.request-concurrency must be 0 (no limit) or more, not " + permits);
    }
    if (permits == 0) {
      admission = null;
      sweeper = null;
    } else {
      admission = new RequestAdmission(permits, GRACE, System::nanoTime);
      sweeper = Thread.ofVirtual().name("request-admission").start(this::sweep);
    }
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return admission == null || request.getRequestURI().startsWith(HEALTH);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    RequestAdmission.Permit permit;
    try {
      permit = admission.admit();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServletException("interrupted while waiting to be served", e);
    }
    try {
      chain.doFilter(request, response);
    } finally {
      admission.leave(permit);
    }
  }

  private void sweep() {
    long every = GRACE.toMillis() / 5;
    try {
      while (true) {
        Thread.sleep(every);
        admission.releaseOverdue();
      }
    } catch (InterruptedException stopped) {
      // the context is closing
    }
  }

  @Override
  public void destroy() {
    if (sweeper != null) {
      sweeper.interrupt();
    }
  }
}
