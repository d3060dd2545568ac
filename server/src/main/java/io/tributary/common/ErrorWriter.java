package io.tributary.common;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@code {"detail": ...}} from places that run outside Spring MVC's exception handling
 * (filters).
 */
@Component
public class ErrorWriter {

  private final JsonMapper json;

  ErrorWriter(JsonMapper json) {
    this.json = json;
  }

  public void write(HttpServletResponse response, int status, String detail) throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), new ErrorBody(detail));
  }
}
