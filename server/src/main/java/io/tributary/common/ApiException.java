package io.tributary.common;

/**
 * The old factories, now returning {@link TributaryException} kinds, so that features not yet converted keep
 * compiling unchanged. New code throws the kinds themselves; this class goes once nothing calls it.
 */
@Deprecated(forRemoval = true)
public final class ApiException {

  private ApiException() {}

  public static BadRequestException badRequest(String detail) {
    return new BadRequestException(detail);
  }

  public static UnauthorizedException unauthorized() {
    return new UnauthorizedException();
  }

  public static ForbiddenException forbidden() {
    return new ForbiddenException();
  }

  public static NotFoundException notFound(String detail) {
    return new NotFoundException(null, null, detail);
  }

  public static ConflictException conflict(String detail) {
    return new ConflictException(detail);
  }
}
