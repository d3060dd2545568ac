package io.tributary.webhook;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.OperatorCaller;
import io.tributary.common.Page;
import io.tributary.common.PageLinks;
import io.tributary.common.PageRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The organization's webhook endpoints and their deliveries (SPEC §16); operators only. */
@RestController
@Tag(name = "Webhooks")
class WebhookController {

  private final WebhookService webhooks;

  WebhookController(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  @PostMapping("/api/v1/webhooks")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary =
          "Add an endpoint: events are POSTed to its URL, signed per Standard Webhooks with the secret shown in this answer only")
  Created create(OperatorCaller caller, @Valid @RequestBody CreateRequest r) {
    var created = webhooks.create(caller.organizationId(), r.url(), r.events(), r.description());
    return Created.of(created);
  }

  @GetMapping("/api/v1/webhooks")
  @Operation(summary = "The organization's webhook endpoints")
  Page<WebhookService.WebhookView> list(
      OperatorCaller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit, cursor);
    return page.page(
        webhooks.page(caller.organizationId(), page),
        w -> new PageRequest.Key(w.createdAt(), w.id()),
        links);
  }

  @GetMapping("/api/v1/webhooks/{webhookId}")
  @Operation(summary = "A webhook endpoint (never its secret)")
  WebhookService.WebhookView get(OperatorCaller caller, @PathVariable UUID webhookId) {
    return webhooks.get(caller.organizationId(), webhookId);
  }

  @PatchMapping("/api/v1/webhooks/{webhookId}")
  @Operation(summary = "Change an endpoint's URL, events or description, or enable or disable it")
  WebhookService.WebhookView update(
      OperatorCaller caller, @PathVariable UUID webhookId, @Valid @RequestBody UpdateRequest r) {
    return webhooks.update(
        caller.organizationId(), webhookId, r.url(), r.events(), r.description(), r.enabled());
  }

  @DeleteMapping("/api/v1/webhooks/{webhookId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Remove an endpoint; its pending deliveries are dropped")
  void delete(OperatorCaller caller, @PathVariable UUID webhookId) {
    webhooks.delete(caller.organizationId(), webhookId);
  }

  @PostMapping("/api/v1/webhooks/{webhookId}/rotate-secret")
  @Operation(
      summary =
          "A new signing secret, shown once; the previous one keeps signing beside it for 24 hours")
  Created rotate(OperatorCaller caller, @PathVariable UUID webhookId) {
    return Created.of(webhooks.rotate(caller.organizationId(), webhookId));
  }

  @PostMapping("/api/v1/webhooks/{webhookId}/test")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(summary = "Send a webhook.test event to this endpoint")
  WebhookService.TestSent test(OperatorCaller caller, @PathVariable UUID webhookId) {
    return webhooks.test(caller.organizationId(), webhookId);
  }

  @GetMapping("/api/v1/webhooks/{webhookId}/deliveries")
  @Operation(
      summary =
          "The endpoint's deliveries, newest first: status, attempts with each answer, next attempt")
  Page<WebhookDelivery> deliveries(
      OperatorCaller caller,
      @PathVariable UUID webhookId,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit, cursor);
    return page.page(
        webhooks.deliveries(caller.organizationId(), webhookId, page),
        d -> new PageRequest.Key(d.createdAt(), d.id()),
        links);
  }

  @PostMapping("/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/retry")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(summary = "Send a pending or failed delivery again now")
  void retry(OperatorCaller caller, @PathVariable UUID webhookId, @PathVariable UUID deliveryId) {
    webhooks.retry(caller.organizationId(), webhookId, deliveryId);
  }

  record CreateRequest(
      @NotNull @Size(max = 2048) String url,
      @NotNull @Size(min = 1, max = 50) List<@NotNull @Size(max = 100) String> events,
      @Size(max = 500) String description) {}

  record UpdateRequest(
      @Size(max = 2048) String url,
      @Size(min = 1, max = 50) List<@NotNull @Size(max = 100) String> events,
      @Size(max = 500) String description,
      Boolean enabled) {}

  /** An endpoint with its secret: the one time it is shown. */
  record Created(
      UUID id,
      String url,
      String description,
      List<String> events,
      boolean enabled,
      String secret,
      Instant previousSecretExpiresAt,
      Instant createdAt) {
    static Created of(WebhookService.WithSecret created) {
      var w = created.webhook();
      return new Created(
          w.id(),
          w.url(),
          w.description(),
          w.events(),
          w.enabled(),
          created.secret(),
          w.previousSecretExpiresAt(),
          w.createdAt());
    }
  }
}
