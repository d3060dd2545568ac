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

  /** "body.name: field required; query.limit: value is not a valid integer", the 422's {@code message}. */
  public static String summary(List<FieldError> errors) {
    if (errors.isEmpty()) {
      return "invalid request";
    }
    StringBuilder out = new StringBuilder();
    for (FieldError error : errors) {
      if (!out.isEmpty()) {
        out.append("; ");
      }
      StringBuilder loc = new StringBuilder();
      for (Object part : error.loc()) {
        if (part instanceof Integer index) {
          loc.append('[').append(index).append(']');
        } else {
          loc.append(loc.isEmpty() ? "" : ".").append(part);
        }
      }
      out.append(loc).append(": ").append(error.msg());
    }
    return out.toString();
  }

  /** One entry of a 422 body; {@code loc} starts with {@code body}, {@code query}, {@code path} or {@code header}. */
  public record FieldError(List<Object> loc, String msg, String type) {
    public static FieldError body(String field, String msg, String type) {
      return new FieldError(List.of("body", field), msg, type);
    }
  }
}
