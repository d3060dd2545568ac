package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.job.JobLogRepository;
import io.tributary.job.JobQueue;
import io.tributary.job.JobRepository;
import io.tributary.job.JobStatus;
import io.tributary.testing.ApiTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The queue's claiming rules, on EU jobs that the test server's own (US) worker leaves alone: one
 * sync per connection, the organization's cap on running syncs, region routing.
 */
class SyncQueueTest extends ApiTest {

  @Autowired JobQueue jobs;
  @Autowired JobRepository queue;
  @Autowired JobLogRepository logs;

  record Queue(
      io.tributary.testing.Fixtures.Tenant tenant, UUID workspace, UUID first, UUID second) {}

  /**
   * An organization with one EU workspace and two connections of two sources (one sync of a source
   * runs at a time), nothing queued yet.
   */
  private Queue queue() {
    var tenant = fixtures.tenant();
    String faker = fixtures.fakerTemplate(tenant, 1);
    fixtures.lakeTemplate(tenant, "lake", "/local/lake", Map.of());
    String scoped = fixtures.scopedToken(tenant, "eu queue", EU_REGION);
    var one = fixtures.embeddedSource(scoped, faker, Map.of("count", 5));
    var two = fixtures.embeddedSource(scoped, faker, Map.of("count", 6));
    return new Queue(
        tenant,
        fixtures.workspaceId(scoped),
        UUID.fromString(one.json().get("connection_ids").get(0).asString()),
        UUID.fromString(two.json().get("connection_ids").get(0).asString()));
  }

  @Test
  void anOrganizationsOwnCapOverridesTheWorkersDefault() {
    Queue q = queue();
    UUID eu = UUID.fromString(EU_REGION);
    String limits = "/api/v1/admin/organizations/" + q.tenant().organizationId();
    assertThat(
            http.patch(
                    limits,
                    io.tributary.testing.Fixtures.ADMIN_KEY,
                    Map.of("max_concurrent_syncs", 0))
                .status())
        .isEqualTo(422);
    var capped =
        http.patch(
            limits, io.tributary.testing.Fixtures.ADMIN_KEY, Map.of("max_concurrent_syncs", 1));
    assertThat(capped.status()).as(capped.toString()).isEqualTo(200);
    assertThat(capped.json().get("max_concurrent_syncs").asInt()).isEqualTo(1);

    Optional<UUID> a =
        jobs.enqueueSync(q.tenant().organizationId(), q.first(), Instant.now()).jobId();
    Optional<UUID> b =
        jobs.enqueueSync(q.tenant().organizationId(), q.second(), Instant.now().plusMillis(1))
            .jobId();
    assertThat(queue.claim("eu-worker", eu, 10, Instant.now()).map(JobRepository.Claimed::id))
        .isEqualTo(a);
    assertThat(queue.claim("eu-worker", eu, 10, Instant.now()).map(JobRepository.Claimed::id))
        .as("the organization's cap of 1, not the worker's 10")
        .isEmpty();
    http.patch(limits, io.tributary.testing.Fixtures.ADMIN_KEY, Map.of("max_concurrent_syncs", 2));
    assertThat(queue.claim("eu-worker", eu, 10, Instant.now()).map(JobRepository.Claimed::id))
        .isEqualTo(b);
    queue.finish(a.orElseThrow(), "eu-worker#1", JobStatus.SUCCEEDED, null, null, Instant.now());
    queue.finish(b.orElseThrow(), "eu-worker#1", JobStatus.SUCCEEDED, null, null, Instant.now());
  }

  /**
   * A worker with free slots claims them in one turn: the oldest due syncs, but never more of an
   * organization's than its cap leaves room for, and an organization at its cap does not block
   * another's. A job's log lines written together keep their order.
   */
  @Test
  void oneClaimFillsTheFreeSlotsWithinEachOrganizationsCap() {
    Queue capped = queue();
    Queue open = queue();
    UUID eu = UUID.fromString(EU_REGION);
    http.patch(
        "/api/v1/admin/organizations/" + capped.tenant().organizationId(),
        io.tributary.testing.Fixtures.ADMIN_KEY,
        Map.of("max_concurrent_syncs", 1));
    Instant now = Instant.now();
    UUID cappedFirst = enqueue(capped, capped.first(), now);
    UUID cappedSecond = enqueue(capped, capped.second(), now.plusMillis(1));
    UUID openFirst = enqueue(open, open.first(), now.plusMillis(2));
    UUID openSecond = enqueue(open, open.second(), now.plusMillis(3));

    List<UUID> claimed =
        queue.claim("eu-worker", eu, 10, Instant.now(), 3).stream()
            .map(JobRepository.Claimed::id)
            .toList();
    assertThat(claimed)
        .as("the capped organization's oldest, then the other's; three slots, three claims")
        .containsExactlyInAnyOrder(cappedFirst, openFirst, openSecond);
    assertThat(queue.claim("eu-worker", eu, 10, Instant.now(), 3))
        .as("the capped organization runs its one allowed sync")
        .isEmpty();
    queue.finish(cappedFirst, "eu-worker#1", JobStatus.SUCCEEDED, null, null, Instant.now());
    assertThat(queue.claim("eu-worker", eu, 10, Instant.now(), 3))
        .extracting(JobRepository.Claimed::id)
        .containsExactly(cappedSecond);

    logs.append(
        openFirst,
        List.of(
            new JobLogRepository.Line(now, "first"),
            new JobLogRepository.Line(now, "second"),
            new JobLogRepository.Line(now.plusMillis(1), "third")));
    assertThat(logs.lines(openFirst))
        .extracting(line -> line.substring(line.indexOf(' ') + 1))
        .containsExactly("first", "second", "third");
    for (UUID job : List.of(cappedSecond, openFirst, openSecond)) {
      queue.finish(job, "eu-worker#1", JobStatus.SUCCEEDED, null, null, Instant.now());
    }
  }

  private UUID enqueue(Queue queue, UUID connection, Instant at) {
    return jobs.enqueueSync(queue.tenant().organizationId(), connection, at).jobId().orElseThrow();
  }

  @Test
  void claimsRespectTheRegionOneSyncPerConnectionAndTheOrganizationsCap() {
    Queue q = queue();
    var tenant = q.tenant();
    UUID workspace = q.workspace();
    UUID first = q.first();
    UUID second = q.second();

    Instant now = Instant.now();
    Optional<UUID> a = jobs.enqueueSync(tenant.organizationId(), first, now).jobId();
    assertThat(a).isPresent();
    assertThat(jobs.enqueueSync(tenant.organizationId(), first, now).jobId())
        .as("one sync at a time per connection")
        .isEmpty();
    Optional<UUID> b = jobs.enqueueSync(tenant.organizationId(), second, now.plusMillis(1)).jobId();
    assertThat(b).isPresent();

    UUID us = UUID.fromString(US_REGION);
    UUID eu = UUID.fromString(EU_REGION);
    assertThat(queue.claim("us-worker", us, 10, Instant.now()).map(JobRepository.Claimed::id))
        .as("a US worker never runs EU syncs")
        .isNotEqualTo(a)
        .isNotEqualTo(b);
    assertThat(queue.claim("eu-worker", eu, 1, Instant.now()).map(JobRepository.Claimed::id))
        .isEqualTo(a);
    assertThat(queue.claim("eu-worker", eu, 1, Instant.now()).map(JobRepository.Claimed::id))
        .as("the organization runs its one allowed sync")
        .isEmpty();
    queue.finish(a.orElseThrow(), "eu-worker#1", JobStatus.SUCCEEDED, null, null, Instant.now());
    assertThat(queue.claim("eu-worker", eu, 1, Instant.now()).map(JobRepository.Claimed::id))
        .isEqualTo(b);
    assertThat(queue.heartbeat(b.orElseThrow(), "another-worker", Instant.now()))
        .as("only the owner heartbeats")
        .isFalse();
    assertThat(queue.heartbeat(b.orElseThrow(), "eu-worker#1", Instant.now())).isTrue();
    logs.log(b.orElseThrow(), "x".repeat(100_000), Instant.now());
    assertThat(logs.lines(b.orElseThrow()).getLast())
        .as("a huge line is cut")
        .hasSizeLessThan(5000)
        .endsWith("(96000 more characters)");
    queue.finish(
        b.orElseThrow(),
        "eu-worker#1",
        JobStatus.FAILED,
        "system_error",
        "y".repeat(100_000),
        Instant.now());
    assertThat(
            http.get("/api/v1/jobs/" + b.orElseThrow(), tenant.operatorToken())
                .json()
                .get("failure_reason")
                .asString())
        .hasSizeLessThan(5000);
  }
}
