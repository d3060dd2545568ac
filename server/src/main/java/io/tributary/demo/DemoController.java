package io.tributary.demo;

import io.swagger.v3.oas.annotations.Hidden;
import io.tributary.auth.Origins;
import io.tributary.auth.Public;
import io.tributary.common.ForbiddenException;
import io.tributary.common.NotFoundException;
import io.tributary.common.RefusedException;
import io.tributary.event.EventLog;
import io.tributary.settings.TributaryProperties;
import io.tributary.status.WorkspaceStatusService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import tools.jackson.databind.json.JsonMapper;

/**
 * A demo operator page, so a newcomer sees the whole widget flow in a browser: "Acme Analytics"
 * embeds the widget for a demo end user of the first organization, exactly as an operator's product
 * would. On for the quickstart's embedded defaults, off otherwise unless {@code
 * TRIBUTARY_DEMO=true}; and only while the server listens on loopback alone, because its token
 * endpoint needs no credentials: whoever reaches it is an end user of that organization (limited to
 * the demo's own templates, see {@link DemoSetup}).
 */
@Controller
@Public
@Hidden
class DemoController {

  private static final Logger log = LoggerFactory.getLogger(DemoController.class);

  private final TributaryProperties properties;
  private final DemoSetup setup;
  private final JsonMapper json;
  private final WorkspaceStatusService status;
  private final EventLog events;

  DemoController(
      TributaryProperties properties,
      DemoSetup setup,
      JsonMapper json,
      WorkspaceStatusService status,
      EventLog events,
      @Value("${tributary.role:server}") String role) {
    this.properties = properties;
    this.setup = setup;
    this.json = json;
    this.status = status;
    this.events = events;
    if ("server".equals(role) && properties.demoWanted() && !properties.demoEnabled()) {
      log.info(
          "The demo page is off: the server listens on {}{} and the demo's token endpoint needs no credentials; "
              + "it exists only on a loopback address (TRIBUTARY_BIND=127.0.0.1) with a local public URL",
          properties.bind(),
          properties.localPublicUrl() ? "" : " behind public URL " + properties.publicBaseUrl());
    }
  }

  @GetMapping("/demo")
  ResponseEntity<String> page() {
    enabled();
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
        .cacheControl(CacheControl.noStore())
        .header(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "frame-src 'self'; connect-src 'self'; img-src 'self' data:")
        .body(DemoPage.HTML);
  }

  @GetMapping("/demo/demo.js")
  ResponseEntity<String> script() {
    enabled();
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("text/javascript;charset=UTF-8"))
        .body(DemoPage.SCRIPT);
  }

  /**
   * The demo page's "backend": a widget token for this visitor's own demo workspace, usable from
   * this server's own origin. Only the demo page may ask (a cross-site form or script cannot), and
   * each browser gets its workspace, so one visitor never sees another's sources.
   */
  @PostMapping("/demo/widget-token")
  ResponseEntity<String> widgetToken(
      @RequestHeader(name = HttpHeaders.ORIGIN, required = false) String origin,
      @RequestBody(required = false) Visitor visitor) {
    var token = setup.widgetToken(externalUser(origin, visitor));
    var body =
        json.createObjectNode().put("token", token.token()).put("widgetUrl", token.widgetUrl());
    String encoded =
        Base64.getEncoder()
            .encodeToString(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    return notStored(MediaType.TEXT_PLAIN, encoded);
  }

  /**
   * What the operator's side sees of this visitor's workspace: the status call's answer and the
   * newest events (what a webhook receives), for the demo page to show the whole loop.
   */
  @PostMapping("/demo/activity")
  ResponseEntity<String> activity(
      @RequestHeader(name = HttpHeaders.ORIGIN, required = false) String origin,
      @RequestBody(required = false) Visitor visitor) {
    DemoSetup.Visitor demo = setup.visitor(externalUser(origin, visitor));
    var body = json.createObjectNode();
    demo.workspaceId()
        .ifPresent(
            workspace -> {
              body.set("status", json.valueToTree(status.status(demo.operator(), workspace)));
              var recent = body.putArray("events");
              events.recent(demo.operator().organizationId(), workspace, 20).forEach(recent::add);
            });
    return notStored(MediaType.APPLICATION_JSON, json.writeValueAsString(body));
  }

  /**
   * The demo end user of the visitor's browser. Only the demo page may ask (a cross-site form or
   * script cannot), and it must name the id it keeps for this browser.
   */
  private String externalUser(String origin, Visitor visitor) {
    enabled();
    if (origin == null || !Origins.same(origin, properties.publicBaseUrl().toString())) {
      throw new ForbiddenException();
    }
    if (visitor == null || visitor.visitor() == null) {
      throw new RefusedException("visitor must be the id the demo page keeps for this browser");
    }
    return "demo-" + visitor.visitor();
  }

  /** A per-visitor answer: no cache may keep it. */
  private static ResponseEntity<String> notStored(MediaType type, String body) {
    return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noStore()).body(body);
  }

  record Visitor(UUID visitor) {}

  private void enabled() {
    if (!properties.demoEnabled()) {
      throw new NotFoundException("Demo", null, "Not Found");
    }
  }
}
