package io.tributary.common;

/**
 * The root of every error the server reports on purpose: what went wrong in the domain's terms (a
 * workspace not found, a name taken, a field invalid), never an HTTP status. {@code
 * ApiExceptionHandler} alone turns each kind into its status and the documented {@code {"detail":
 * ...}} body. The message is shown to callers, so it never holds a secret; no stack trace is kept,
 * since these are answers, not faults.
 */
public abstract sealed class TributaryException extends RuntimeException
    permits NotFoundException,
        ConflictException,
        ValidationException,
        RefusedException,
        BadRequestException,
        UnauthorizedException,
        ForbiddenException,
        UnavailableException,
        TooManyRequestsException {

  protected TributaryException(String message) {
    super(message, null, false, false);
  }

  /** Whether the same call may succeed later, unchanged. */
  public boolean retriable() {
    return false;
  }
}
