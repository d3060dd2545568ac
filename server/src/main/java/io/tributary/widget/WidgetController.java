package io.tributary.widget;

import io.tributary.auth.Origins;
import io.tributary.auth.Public;
import io.tributary.common.ApiException;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Serves the widget: the end-user app that runs in the iframe ({@code /embedded-widget}) and the files it and the
 * operator's page load ({@code /widget/v1/*}). The app page may be framed only by the allowed origin it names,
 * and may load nothing but its own files and call nothing but this server.
 */
@Controller
@Public
@Hidden
class WidgetController {

  private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");
  private static final MediaType CSS = MediaType.parseMediaType("text/css;charset=UTF-8");
  private static final Map<String, MediaType> FILES = Map.of("widget.js", JAVASCRIPT, "app.js", JAVASCRIPT, "app.css", CSS);

  private final byte[] page = read("index.html");
  private final Map<String, byte[]> files = Map.of("widget.js", read("widget.js"), "app.js", read("app.js"), "app.css", read("app.css"));

  @GetMapping("/embedded-widget")
  ResponseEntity<byte[]> app(@RequestParam(required = false) String workspaceId, @RequestParam(required = false) String allowedOrigin) {
    String origin = Origins.normalize(allowedOrigin).orElseThrow(() -> new ApiException(HttpStatus.UNPROCESSABLE_ENTITY,
        "allowedOrigin must be the embedding page's origin, such as https://app.example.com (no path, no trailing slash)"));
    try {
      UUID.fromString(workspaceId == null ? "" : workspaceId);
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "workspaceId must be a workspace id");
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
        .cacheControl(CacheControl.noStore())
        .header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors " + origin)
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

  private static byte[] read(String name) {
    try (InputStream in = WidgetController.class.getResourceAsStream("/tributary/widget/" + name)) {
      if (in == null) {
        throw new IllegalStateException("The widget was not built: tributary/widget/" + name + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
