package io.tributary.common;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * The root of every error the API reports on purpose. Rendered as {@code {"detail": message}} with its status
 * by {@link ApiExceptionHandler}; the message is shown to callers, so it never holds a secret.
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;

  public ApiException(HttpStatus status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, detail);
  }

  public static ApiException unauthorized() {
    return new ApiException(HttpStatus.UNAUTHORIZED, "Invalid authentication credentials");
  }

  public static ApiException forbidden() {
    return new ApiException(HttpStatus.FORBIDDEN, "Access denied to this resource");
  }

  public static ApiException notFound(String detail) {
    return new ApiException(HttpStatus.NOT_FOUND, detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(HttpStatus.CONFLICT, detail);
  }

  /** 429; {@code retryAfter} becomes the {@code Retry-After} header. */
  public static final class TooManyRequests extends ApiException {
    private final Duration retryAfter;

    public TooManyRequests(String detail, Duration retryAfter) {
      super(HttpStatus.TOO_MANY_REQUESTS, detail);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }
}
