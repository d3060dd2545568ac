package io.tributary.common;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors raised by the servlet container itself also answer in JSON, never as an HTML page. */
@Hidden
@RestController
class JsonErrorController implements org.springframework.boot.webmvc.error.ErrorController {

  @RequestMapping("/error")
  ResponseEntity<ErrorBody> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    // no code: a client asked for /error itself, which is no resource
    HttpStatus status =
        code == null
            ? HttpStatus.NOT_FOUND
            : code instanceof Integer value ? HttpStatus.resolve(value) : null;
    if (status == null) {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
    }
    String detail = status.is5xxServerError() ? "Internal server error" : status.getReasonPhrase();
    return ResponseEntity.status(status).body(new ErrorBody(detail));
  }
}
