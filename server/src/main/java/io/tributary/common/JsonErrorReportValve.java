package io.tributary.common;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error answers in JSON. Tomcat refuses some requests before any filter or servlet
 * runs (a {@code %00}, {@code %2F} or overlong UTF-8 in the path, characters not allowed in a
 * request line, a malformed header, an unsupported HTTP version or transfer coding); it then
 * reports the status through the host's error report valve, whose stock version writes an HTML
 * page. This one writes {@link ErrorBody} instead. Installed by {@link ContainerErrorConfig}.
 */
public class JsonErrorReportValve extends ErrorReportValve {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // As the stock valve: only errors, only when nothing was written yet, and once.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    try {
      response.resetBuffer();
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      if (response.getHeader(RequestIdFilter.HEADER) == null) {
        response.setHeader(RequestIdFilter.HEADER, UUID.randomUUID().toString());
      }
      PrintWriter writer = response.getReporter();
      if (writer != null) {
        writer.write(JSON.writeValueAsString(new ErrorBody(detail(status))));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client has gone or the response was committed meanwhile: nothing left to tell it
    }
  }

  /**
   * The container gives no reason a caller could act on beyond the status; say what usually causes
   * it.
   */
  static String detail(int status) {
    if (status == 400) {
      return "Bad Request: the request line, URL, query string or a header is malformed";
    }
    HttpStatus known = HttpStatus.resolve(status);
    if (status >= 500 && status != 501 && status != 505) {
      return "Internal server error";
    }
    return known != null ? known.getReasonPhrase() : "Error " + status;
  }
}
