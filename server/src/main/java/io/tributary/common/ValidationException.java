package io.tributary.common;

import java.util.List;

/**
 * Invalid input, value by value: each problem with where it is, pydantic's message and its error
 * type. Reported as a 422 in FastAPI's shape, {@code {"detail": [{"loc": [...], "msg": "...",
 * "type": "..."}]}}.
 *
 * <p>Services name a value by its {@link Violation#field() field path} in what they were given
 * ({@code ["source_config", "port"]}); the API reports those under the request body, which is where
 * a service's input comes from. The web layer, which also sees query strings and headers, gives
 * complete locations instead.
 */
public final class ValidationException extends TributaryException {

  private final List<FieldError> located;
  private final List<Violation> violations;

  /**
   * Problems already located in the request: each {@code loc} starts with body, query, path or
   * header.
   */
  public ValidationException(List<FieldError> errors) {
    this(errors, List.of());
  }

  private ValidationException(List<FieldError> located, List<Violation> violations) {
    super(firstMessage(located, violations));
    this.located = List.copyOf(located);
    this.violations = List.copyOf(violations);
  }

  /** Invalid fields of a service's input. */
  public static ValidationException of(List<Violation> violations) {
    return new ValidationException(List.of(), violations);
  }

  /** One invalid top-level field of a service's input. */
  public static ValidationException field(String field, String msg, String type) {
    return of(List.of(new Violation(List.of(field), msg, type)));
  }

  /** One invalid field of the request body, for the web layer. */
  public static ValidationException body(String field, String msg, String type) {
    return new ValidationException(List.of(FieldError.body(field, msg, type)));
  }

  /** Problems located in the request by the web layer. */
  public List<FieldError> located() {
    return located;
  }

  /** Problems a service found in its input, by field path. */
  public List<Violation> violations() {
    return violations;
  }

  private static String firstMessage(List<FieldError> located, List<Violation> violations) {
    return !located.isEmpty()
        ? located.getFirst().msg()
        : violations.isEmpty() ? "invalid request" : violations.getFirst().msg();
  }

  /**
   * "body.name: field required; query.limit: value is not a valid integer", the 422's {@code
   * message}.
   */
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

  /**
   * One entry of a 422 body; {@code loc} starts with {@code body}, {@code query}, {@code path} or
   * {@code header}.
   */
  public record FieldError(List<Object> loc, String msg, String type) {
    public static FieldError body(String field, String msg, String type) {
      return new FieldError(List.of("body", field), msg, type);
    }
  }

  /**
   * One invalid value of a service's input.
   *
   * @param field names and list indexes down to the value, e.g. {@code ["source_config", "hosts",
   *     0]}
   */
  public record Violation(List<Object> field, String msg, String type) {}
}
