package io.tributary.common;

/**
 * {@code {"detail": "...", "message": "..."}}, the body of every non-422 error. {@code detail} is
 * FastAPI's shape; {@code message} repeats it because Airbyte's published clients read that field.
 */
public record ErrorBody(String detail, String message) {

  public ErrorBody(String detail) {
    this(detail, detail);
  }
}
