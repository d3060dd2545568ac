package io.tributary.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.LifecycleDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * How dispatchers claim due deliveries, on a database of its own (no server's dispatcher claims
 * there): endpoints take turns, so an endpoint with a backlog, slow or dead and retried for days,
 * takes at most its share of the slots and never holds up another organization's events.
 */
class WebhookClaimTest {

  private final LifecycleDatabase database = new LifecycleDatabase();
  private final WebhookRepository webhooks =
      new WebhookRepository(database.jdbc, JsonMapper.builder().build());

  @Test
  void aBackedUpEndpointTakesNoMoreThanItsShareOfTheSlots() {
    Instant now = Instant.now();
    UUID slowOrganization = database.tenant(null).organizationId();
    UUID otherOrganization = database.tenant(null).organizationId();
    UUID slow = endpoint(slowOrganization);
    UUID other = endpoint(otherOrganization);
    List<UUID> backlog = new ArrayList<>();
    for (int i = 0; i < WebhookDispatcher.PER_ENDPOINT + 5; i++) {
      backlog.add(due(slowOrganization, slow, now.minusSeconds(600 - i)));
    }
    UUID waiting = due(otherOrganization, other, now);

    assertThat(claim(now, 2))
        .as("two slots: each endpoint's oldest, though the backlog's are all older")
        .containsExactlyInAnyOrder(backlog.getFirst(), waiting);
    assertThat(claim(now, 100))
        .as("up to the endpoint's share on its way at once, its oldest first")
        .containsExactlyInAnyOrderElementsOf(backlog.subList(1, WebhookDispatcher.PER_ENDPOINT));
    assertThat(claim(now, 100)).as("its share is on its way still").isEmpty();
  }

  private List<UUID> claim(Instant now, int slots) {
    return webhooks
        .claimDue(
            "claim-test",
            now,
            now.plusSeconds(60),
            slots,
            WebhookDispatcher.ATTEMPTS,
            WebhookDispatcher.PER_ENDPOINT)
        .stream()
        .map(WebhookRepository.Claimed::id)
        .toList();
  }

  private UUID endpoint(UUID organizationId) {
    UUID id = UUID.randomUUID();
    database
        .jdbc
        .sql(
            "insert into webhook_endpoints (id, organization_id, url, events, secret, created_at,"
                + " updated_at) values (?, ?, 'http://127.0.0.1:9/hook', '[\"*\"]', '\\x00', now(),"
                + " now())")
        .params(id, organizationId)
        .update();
    return id;
  }

  /** A delivery of a new event to the endpoint, due at {@code at}. */
  private UUID due(UUID organizationId, UUID endpointId, Instant at) {
    UUID event = UUID.randomUUID();
    database
        .jdbc
        .sql(
            "insert into events (id, organization_id, type, data, created_at)"
                + " values (?, ?, 'webhook.test', '{}'::jsonb, now())")
        .params(event, organizationId)
        .update();
    UUID delivery = UUID.randomUUID();
    database
        .jdbc
        .sql(
            "insert into webhook_deliveries (id, organization_id, endpoint_id, event_id, status,"
                + " next_attempt_at, created_at) values (?, ?, ?, ?, 'pending', ?, now())")
        .params(delivery, organizationId, endpointId, event, Timestamp.from(at))
        .update();
    return delivery;
  }
}
