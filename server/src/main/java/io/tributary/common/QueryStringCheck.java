package io.tributary.common;

import io.tributary.common.ValidationException.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses a query string that does not decode to text before any handler binds it: a broken
 * percent-escape ({@code %zz}), bytes that are not UTF-8 (overlong forms, encoded surrogates), a
 * NUL or an unpaired surrogate. Tomcat would throw on the first read of a parameter (a 500 from
 * wherever that happens) and PostgreSQL refuses NUL in text. Runs after authentication and rate
 * limiting, so the 422 carries the usual headers.
 */
@Configuration(proxyBeanMethods = false)
class QueryStringCheck implements WebMvcConfigurer, HandlerInterceptor {

  private static final String ENCODING = "value_error.str.encoding";

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).order(Ordered.LOWEST_PRECEDENCE);
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    check(request.getQueryString())
        .ifPresent(
            error -> {
              throw new ValidationException(List.of(error));
            });
    return true;
  }

  /** The first parameter of {@code query} that is not clean text, as its 422 entry. */
  static Optional<FieldError> check(String query) {
    if (query == null || query.isEmpty()) {
      return Optional.empty();
    }
    for (String pair : query.split("&", -1)) {
      int equals = pair.indexOf('=');
      String name;
      try {
        name = decode(equals < 0 ? pair : pair.substring(0, equals));
      } catch (IllegalArgumentException e) {
        return Optional.of(
            new FieldError(List.of("query"), "a parameter name " + e.getMessage(), ENCODING));
      }
      Optional<FieldError> problem = Strings.problem(List.of("query"), name);
      if (problem.isPresent()) {
        return problem;
      }
      try {
        problem =
            Strings.problem(
                List.of("query", name), decode(equals < 0 ? "" : pair.substring(equals + 1)));
      } catch (IllegalArgumentException e) {
        return Optional.of(
            new FieldError(List.of("query", name), "value " + e.getMessage(), ENCODING));
      }
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /**
   * application/x-www-form-urlencoded decoding, strict: every escape complete, the bytes valid
   * UTF-8.
   */
  private static String decode(String raw) {
    if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int high = i + 1 < raw.length() ? hex(raw.charAt(i + 1)) : -1;
        int low = i + 2 < raw.length() ? hex(raw.charAt(i + 2)) : -1;
        if (high < 0 || low < 0) {
          throw new IllegalArgumentException("has a broken percent-escape");
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("is not valid percent-encoded UTF-8");
    }
  }

  private static int hex(char c) {
    return c < 128 ? Character.digit(c, 16) : -1;
  }
}
