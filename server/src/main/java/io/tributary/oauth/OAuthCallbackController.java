package io.tributary.oauth;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Public;
import io.tributary.common.TributaryException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * Where providers send the end user's browser back (the redirect URL operators register). It
 * answers a browser, never a program: a redirect to the operator's page, or a small page that hands
 * the outcome to the widget that opened it and closes.
 */
@Controller
@Public
@Tag(name = "OAuth")
class OAuthCallbackController {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final OAuthConsents consents;

  OAuthCallbackController(OAuthConsents consents) {
    this.consents = consents;
  }

  @GetMapping(CallbackUrl.PATH)
  @Operation(
      summary =
          "The provider's redirect after consent: trades the code, then redirects to redirect_url?secret_id= or hands secret_id to the widget")
  ResponseEntity<byte[]> callback(
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String code,
      @RequestParam(required = false) String error,
      @RequestParam(name = "error_description", required = false) String errorDescription,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    OAuthConsents.Completion completion;
    try {
      completion = consents.complete(state, code, error, errorDescription);
    } catch (TributaryException refused) {
      if (accept == null || !accept.contains("text/html")) {
        throw refused; // a program, not a browser: the API's JSON error
      }
      return page(
          HttpStatus.BAD_REQUEST,
          new OAuthConsents.Completion.Popup(null, "invalid_state", refused.getMessage()));
    }
    return switch (completion) {
      case OAuthConsents.Completion.Redirect redirect ->
          ResponseEntity.status(HttpStatus.FOUND)
              .header(HttpHeaders.LOCATION, redirect.location())
              .cacheControl(CacheControl.noStore())
              .header("Referrer-Policy", "no-referrer")
              .build();
      case OAuthConsents.Completion.Popup popup ->
          page(popup.secretId() == null ? HttpStatus.BAD_REQUEST : HttpStatus.OK, popup);
    };
  }

  /**
   * The popup's page: it posts the outcome to its opener with this page's own origin as the target,
   * so only a Tributary page (the widget) can receive it, and then closes.
   */
  private static ResponseEntity<byte[]> page(
      HttpStatus status, OAuthConsents.Completion.Popup popup) {
    byte[] nonceBytes = new byte[18];
    RANDOM.nextBytes(nonceBytes);
    String nonce = Base64.getEncoder().encodeToString(nonceBytes);
    String message =
        "{\"type\":\"tributary:oauth\",\"secret_id\":"
            + jsString(popup.secretId())
            + ",\"error\":"
            + jsString(popup.error())
            + ",\"message\":"
            + jsString(popup.message())
            + "}";
    String html =
        "<!doctype html><meta charset=utf-8><title>"
            + (popup.secretId() == null ? "Not connected" : "Connected")
            + "</title><body style=\"font:15px system-ui;padding:24px\"><p id=message>"
            + HtmlUtils.htmlEscape(popup.message())
            + "</p><p>You can close this window.</p><script nonce=\""
            + nonce
            + "\">(function(){var m="
            + message
            + ";if(window.opener){window.opener.postMessage(m,window.location.origin);"
            + "if(m.secret_id){setTimeout(function(){window.close()},300)}}})();</script>";
    return ResponseEntity.status(status)
        .contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
        .cacheControl(CacheControl.noStore())
        .header(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'nonce-"
                + nonce
                + "'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
                + " frame-ancestors 'none'")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff")
        .body(html.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON string literal safe inside a script element. */
  private static String jsString(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
