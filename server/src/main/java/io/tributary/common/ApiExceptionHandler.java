package io.tributary.common;

import io.tributary.common.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The one place HTTP errors are produced, in the FastAPI shapes the Airbyte Embedded API documents.
 */
@RestControllerAdvice
class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  /**
   * Each kind of domain error and its status; the switch has no default, so a new kind must be
   * mapped here.
   */
  @ExceptionHandler(TributaryException.class)
  ResponseEntity<?> domain(TributaryException e) {
    return switch (e) {
      case ValidationException invalid -> unprocessable(located(invalid));
      case NotFoundException notFound -> error(HttpStatus.NOT_FOUND, e);
      case ConflictException conflict -> error(HttpStatus.CONFLICT, e);
      case RefusedException refused -> error(HttpStatus.UNPROCESSABLE_CONTENT, e);
      case BadRequestException bad -> error(HttpStatus.BAD_REQUEST, e);
      case UnauthorizedException unauthorized -> error(HttpStatus.UNAUTHORIZED, e);
      case ForbiddenException forbidden -> error(HttpStatus.FORBIDDEN, e);
      case UnavailableException unavailable -> error(HttpStatus.SERVICE_UNAVAILABLE, e);
      case TooManyRequestsException tooMany ->
          ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
              .header(
                  HttpHeaders.RETRY_AFTER,
                  Long.toString(Math.max(1, tooMany.retryAfter().toSeconds())))
              .body(new ErrorBody(e.getMessage()));
    };
  }

  /**
   * A connector's own words (unreachable host, refused credentials): the caller's configuration is
   * at fault.
   */
  @ExceptionHandler(io.tributary.connector.ConnectorException.class)
  ResponseEntity<ErrorBody> connector(io.tributary.connector.ConnectorException e) {
    HttpStatus status =
        e instanceof io.tributary.connector.ConnectorTimeoutException
            ? HttpStatus.GATEWAY_TIMEOUT
            : e.failureType() == io.tributary.connector.FailureType.CONFIG_ERROR
                ? HttpStatus.BAD_REQUEST
                : HttpStatus.BAD_GATEWAY;
    return ResponseEntity.status(status).body(new ErrorBody(e.getMessage()));
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<ValidationBody> invalidBody(MethodArgumentNotValidException e) {
    List<FieldError> errors = new ArrayList<>();
    for (var error : e.getBindingResult().getFieldErrors()) {
      errors.add(
          error.getRejectedValue() == null
              ? missing(List.of("body"), error.getField())
              : sizeError(List.of("body"), error)
                  .orElseGet(
                      () ->
                          beanError(List.of("body"), error.getField(), error.getDefaultMessage())));
    }
    for (var error : e.getBindingResult().getGlobalErrors()) {
      errors.add(new FieldError(List.of("body"), error.getDefaultMessage(), "value_error"));
    }
    return unprocessable(errors);
  }

  @ExceptionHandler(HandlerMethodValidationException.class)
  ResponseEntity<ValidationBody> invalidParameters(HandlerMethodValidationException e) {
    List<FieldError> errors = new ArrayList<>();
    for (var result : e.getParameterValidationResults()) {
      String name = result.getMethodParameter().getParameterName();
      for (var error : result.getResolvableErrors()) {
        errors.add(
            result.getArgument() == null
                ? missing(List.of("query"), name)
                : beanError(List.of("query"), name, error.getDefaultMessage()));
      }
    }
    return unprocessable(errors);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ValidationBody> typeMismatch(MethodArgumentTypeMismatchException e) {
    boolean path =
        e.getParameter()
            .hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class);
    Class<?> type = e.getRequiredType();
    String msg =
        type == UUID.class
            ? "value is not a valid uuid"
            : "value is not a valid " + simpleType(type);
    String errorType = type == UUID.class ? "type_error.uuid" : "type_error";
    if (type != null && type.isEnum()) {
      msg = enumMessage(type);
      errorType = "type_error.enum";
    }
    return unprocessable(
        List.of(new FieldError(List.of(path ? "path" : "query", e.getName()), msg, errorType)));
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<ValidationBody> missingParameter(MissingServletRequestParameterException e) {
    return missing("query", e.getParameterName());
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<ValidationBody> missingHeader(MissingRequestHeaderException e) {
    return missing("header", e.getHeaderName());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<?> unreadable(HttpMessageNotReadableException e) {
    Throwable cause = e.getCause();
    while (cause != null) {
      if (cause instanceof RequestBodyTooLargeException tooLarge) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
            .body(new ErrorBody(tooLarge.getMessage()));
      }
      cause = cause.getCause();
    }
    if (e.getCause() instanceof InvalidFormatException invalid) {
      Class<?> target = invalid.getTargetType();
      if (target != null && target.isEnum()) {
        return unprocessable(
            List.of(new FieldError(loc(invalid), enumMessage(target), "type_error.enum")));
      }
      if (target == UUID.class) {
        return unprocessable(
            List.of(new FieldError(loc(invalid), "value is not a valid uuid", "type_error.uuid")));
      }
      return unprocessable(
          List.of(
              new FieldError(
                  loc(invalid), "value is not a valid " + simpleType(target), "type_error")));
    }
    if (e.getCause() instanceof MismatchedInputException mismatch) {
      if (mismatch.getPath().isEmpty()
          && mismatch.getMessage() != null
          && mismatch.getMessage().contains("No content")) {
        return unprocessable(
            List.of(new FieldError(List.of("body"), "field required", "value_error.missing")));
      }
      String expected = simpleType(mismatch.getTargetType());
      return unprocessable(
          List.of(
              new FieldError(
                  loc(mismatch), "value is not a valid " + expected, "type_error." + expected)));
    }
    if (e.getCause() instanceof StreamReadException || e.getCause() instanceof JacksonException) {
      return unprocessable(
          List.of(
              new FieldError(
                  List.of("body"),
                  "Malformed JSON: the body could not be parsed",
                  "value_error.jsondecode")));
    }
    return unprocessable(
        List.of(new FieldError(List.of("body"), "field required", "value_error.missing")));
  }

  @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
  ResponseEntity<ErrorBody> notFound(Exception e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ErrorBody("Not Found"));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorBody> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
    var response = ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED);
    if (e.getSupportedHttpMethods() != null) {
      response.allow(
          e.getSupportedHttpMethods().toArray(org.springframework.http.HttpMethod[]::new));
    }
    return response.body(new ErrorBody("Method Not Allowed"));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .body(
            new ErrorBody(
                "Unsupported media type " + e.getContentType() + "; send application/json"));
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<ErrorBody> notAcceptable(HttpMediaTypeNotAcceptableException e) {
    return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE)
        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
        .body(new ErrorBody("Not Acceptable: this endpoint answers application/json"));
  }

  @ExceptionHandler(RequestBodyTooLargeException.class)
  ResponseEntity<ErrorBody> tooLarge(RequestBodyTooLargeException e) {
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(new ErrorBody(e.getMessage()));
  }

  /**
   * Tomcat's complaint about a query string it could not parse (too many parameters, say) on first
   * read.
   */
  @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
  ResponseEntity<ErrorBody> unparsableQuery(
      org.apache.tomcat.util.http.InvalidParameterException e) {
    return ResponseEntity.badRequest()
        .body(new ErrorBody("Bad Request: the query string could not be parsed"));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorBody> unexpected(Exception e) {
    log.error("Unhandled error", e);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .body(new ErrorBody("Internal server error"));
  }

  private static ResponseEntity<ErrorBody> error(HttpStatus status, TributaryException e) {
    return ResponseEntity.status(status).body(new ErrorBody(e.getMessage()));
  }

  /**
   * A service's input is what the request body carried: its field paths are reported under {@code
   * body}.
   */
  private static List<FieldError> located(ValidationException e) {
    List<FieldError> errors = new ArrayList<>(e.located());
    for (var violation : e.violations()) {
      errors.add(
          new FieldError(
              loc(List.of("body"), violation.field()), violation.msg(), violation.type()));
    }
    return errors;
  }

  private static ResponseEntity<ValidationBody> missing(String where, String name) {
    return unprocessable(
        List.of(new FieldError(List.of(where, name), "field required", "value_error.missing")));
  }

  private static ResponseEntity<ValidationBody> unprocessable(List<FieldError> errors) {
    return ResponseEntity.unprocessableContent().body(new ValidationBody(errors));
  }

  private static FieldError beanError(List<Object> prefix, String field, String message) {
    return new FieldError(loc(prefix, field), message, "value_error");
  }

  /** Length limits in pydantic's words, which the documented 422 examples use. */
  private static java.util.Optional<FieldError> sizeError(
      List<Object> prefix, org.springframework.validation.FieldError error) {
    if (!"Size".equals(error.getCode())
        || !(error.getRejectedValue() instanceof CharSequence value)) {
      return java.util.Optional.empty();
    }
    try {
      var attributes =
          error
              .unwrap(jakarta.validation.ConstraintViolation.class)
              .getConstraintDescriptor()
              .getAttributes();
      int max = (Integer) attributes.get("max");
      int min = (Integer) attributes.get("min");
      if (value.length() > max) {
        return java.util.Optional.of(
            new FieldError(
                loc(prefix, error.getField()),
                "ensure this value has at most " + max + " characters",
                "value_error.any_str.max_length"));
      }
      return java.util.Optional.of(
          new FieldError(
              loc(prefix, error.getField()),
              "ensure this value has at least " + min + " characters",
              "value_error.any_str.min_length"));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  private static FieldError missing(List<Object> prefix, String field) {
    return new FieldError(loc(prefix, field), "field required", "value_error.missing");
  }

  private static List<Object> loc(List<Object> prefix, List<Object> field) {
    List<Object> loc = new ArrayList<>(prefix);
    loc.addAll(field);
    return loc;
  }

  /** "tags[2]" becomes "tags", 2 and camelCase becomes snake_case, as FastAPI reports locations. */
  private static List<Object> loc(List<Object> prefix, String field) {
    List<Object> loc = new ArrayList<>(prefix);
    for (String part : field.split("\\.")) {
      int bracket = part.indexOf('[');
      loc.add(Naming.snakeCase(bracket < 0 ? part : part.substring(0, bracket)));
      if (bracket >= 0 && part.endsWith("]")) {
        String index = part.substring(bracket + 1, part.length() - 1);
        loc.add(
            index.chars().allMatch(Character::isDigit) && !index.isEmpty()
                ? Integer.parseInt(index)
                : index);
      }
    }
    return loc;
  }

  private static List<Object> loc(JacksonException e) {
    List<Object> loc = new ArrayList<>();
    loc.add("body");
    for (var reference : e.getPath()) {
      loc.add(
          reference.getPropertyName() != null ? reference.getPropertyName() : reference.getIndex());
    }
    return loc;
  }

  private static String enumMessage(Class<?> type) {
    String permitted =
        Arrays.stream(type.getEnumConstants())
            .map(constant -> "'" + Naming.jsonValue((Enum<?>) constant) + "'")
            .collect(Collectors.joining(", "));
    return "value is not a valid enumeration member; permitted: " + permitted;
  }

  private static String simpleType(Class<?> type) {
    if (type == null) {
      return "value";
    }
    if (type == String.class) return "str";
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class)
      return "integer";
    if (type == Boolean.class || type == boolean.class) return "boolean";
    if (List.class.isAssignableFrom(type) || type.isArray()) return "list";
    if (type == UUID.class) return "uuid";
    if (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) return "dict";
    return type.getSimpleName().toLowerCase();
  }

  /**
   * FastAPI's 422 list, plus {@code message}: one readable line for clients that show {@code
   * message} only.
   */
  record ValidationBody(List<FieldError> detail, String message) {
    ValidationBody(List<FieldError> detail) {
      this(detail, ValidationException.summary(detail));
    }
  }
}
