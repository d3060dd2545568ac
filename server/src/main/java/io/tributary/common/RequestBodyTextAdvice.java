package io.tributary.common;

import io.tributary.common.ValidationException.FieldError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every string in every JSON request body is clean text ({@link Strings}): values and property
 * names, at any depth, in fields the handler reads and in those it ignores. Checked once here, on
 * the tokens, before the body is bound, so no route can store a NUL or half a surrogate pair; the
 * 422 names where it was. The body must be UTF-8 (RFC 8259); a body that does not parse is left to
 * the converter, which reports it.
 */
@ControllerAdvice
class RequestBodyTextAdvice extends RequestBodyAdviceAdapter {

  private final JsonMapper json;

  RequestBodyTextAdvice(JsonMapper json) {
    this.json = json;
  }

  @Override
  public boolean supports(
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converter) {
    return JacksonJsonHttpMessageConverter.class.isAssignableFrom(converter);
  }

  @Override
  public HttpInputMessage beforeBodyRead(
      HttpInputMessage input,
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converter)
      throws IOException {
    // Bounded by RequestBodyLimitFilter, which fails this read past the limit.
    byte[] body = input.getBody().readAllBytes();
    if (!isUtf8(body)) {
      // Jackson would read an overlong form such as C0 AF as '/', past any check on the decoded
      // text
      throw new ValidationException(
          List.of(
              new FieldError(
                  List.of("body"),
                  "Malformed JSON: the body is not valid UTF-8",
                  "value_error.jsondecode")));
    }
    Optional<FieldError> problem = firstProblem(body);
    if (problem.isPresent()) {
      throw new ValidationException(List.of(problem.get()));
    }
    HttpHeaders headers = input.getHeaders();
    return new HttpInputMessage() {
      @Override
      public InputStream getBody() {
        return new ByteArrayInputStream(body);
      }

      @Override
      public HttpHeaders getHeaders() {
        return headers;
      }
    };
  }

  private static boolean isUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private Optional<FieldError> firstProblem(byte[] body) {
    try (JsonParser parser = json.createParser(body)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.PROPERTY_NAME || token == JsonToken.VALUE_STRING) {
          Optional<FieldError> problem =
              Strings.problem(loc(parser.streamReadContext()), parser.getString());
          if (problem.isPresent()) {
            return problem;
          }
        }
      }
    } catch (JacksonException malformed) {
      // the converter parses it again and answers with the usual 422
    }
    return Optional.empty();
  }

  /**
   * {@code ["body", "source_config", "hosts", 2]}: where the parser is, as FastAPI writes a
   * location.
   */
  private static List<Object> loc(TokenStreamContext context) {
    List<Object> path = new ArrayList<>();
    for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      if (at.inArray()) {
        path.addFirst(Math.max(0, at.getCurrentIndex()));
      } else if (at.inObject() && at.currentName() != null) {
        path.addFirst(at.currentName());
      }
    }
    path.addFirst("body");
    return List.copyOf(path);
  }
}
