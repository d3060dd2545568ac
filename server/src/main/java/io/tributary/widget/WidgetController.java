package io.tributary.widget;

import io.swagger.v3.oas.annotations.Hidden;
import io.tributary.auth.Origins;
import io.tributary.auth.Public;
import io.tributary.common.RefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * Serves the widget: the end-user app that runs in the iframe ({@code /embedded-widget}) and the
 * files it and the operator's page load ({@code /widget/v1/*}). The app page may be framed only by
 * the allowed origin it names, and may load nothing but its own files and call nothing but this
 * server.
 */
@Controller
@Public
@Hidden
class WidgetController {

  private static final MediaType JAVASCRIPT =
      MediaType.parseMediaType("text/javascript;charset=UTF-8");
  private static final MediaType CSS = MediaType.parseMediaType("text/css;charset=UTF-8");
  private static final Map<String, MediaType> FILES =
      Map.of("widget.js", JAVASCRIPT, "app.js", JAVASCRIPT, "app.css", CSS);

  private final byte[] page = read("index.html");
  private final Map<String, byte[]> files =
      Map.of("widget.js", read("widget.js"), "app.js", read("app.js"), "app.css", read("app.css"));

  @GetMapping("/embedded-widget")
  ResponseEntity<byte[]> app(
      @RequestParam(required = false) String workspaceId,
      @RequestParam(required = false) String allowedOrigin,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    var origin = Origins.normalize(allowedOrigin);
    String problem =
        origin.isEmpty()
            ? "allowedOrigin must be the embedding page's origin, such as https://app.example.com (no path, no trailing slash)"
            : isUuid(workspaceId) ? null : "workspaceId must be a workspace id";
    if (problem != null) {
      if (accept == null || !accept.contains("text/html")) {
        throw new RefusedException(problem);
      }
      // a browser shows this inside the operator's dialog: a page, not JSON
      return ResponseEntity.unprocessableContent()
          .contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
          .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
          .body(
              ("<!doctype html><meta charset=utf-8><title>Widget link is not valid</title><body style=\"font:15px system-ui;"
                      + "padding:24px\"><h1 style=\"font-size:1.2rem\">This widget link is not valid</h1><p>"
                      + HtmlUtils.htmlEscape(problem)
                      + ". The application that opened it should create its widget token again.</p>")
                  .getBytes(StandardCharsets.UTF_8));
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
        .cacheControl(CacheControl.noStore())
        .header(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
                + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
                + origin.get())
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .body(page);
  }

  @GetMapping("/widget/v1/{file:widget\\.js|app\\.js|app\\.css}")
  ResponseEntity<byte[]> file(@PathVariable String file) {
    return ResponseEntity.ok()
        .contentType(FILES.get(file))
        .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
        .header("X-Content-Type-Options", "nosniff")
        .header("Cross-Origin-Resource-Policy", "cross-origin")
        .body(files.get(file));
  }

  private static boolean isUuid(String value) {
    try {
      UUID.fromString(value == null ? "" : value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] read(String name) {
    try (InputStream in = WidgetController.class.getResourceAsStream("/tributary/widget/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "The widget was not built: tributary/widget/" + name + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
