package io.tributary.common;

import java.util.List;

/** A 422 in FastAPI's shape: {@code {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}}. */
public class ValidationException extends RuntimeException {

  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(errors.isEmpty() ? "invalid request" : errors.getFirst().msg(), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public static ValidationException body(String field, String msg, String type) {
    return new ValidationException(List.of(FieldError.body(field, msg, type)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** One entry of a 422 body; {@code loc} starts with {@code body}, {@code query}, {@code path} or {@code header}. */
  public record FieldError(List<Object> loc, String msg, String type) {
    public static FieldError body(String field, String msg, String type) {
      return new FieldError(List.of("body", field), msg, type);
    }
  }
}
