package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterChain;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Requests at work a few at a time, in arrival order, and nothing long holding the others back. */
class RequestAdmissionTest {

  private final AtomicLong now = new AtomicLong();

  @Test
  void beyondThePermitsRequestsWaitAndAreAdmittedInArrivalOrder() throws Exception {
    RequestAdmission admission = new RequestAdmission(2, Duration.ofSeconds(1), now::get);
    RequestAdmission.Permit first = admission.admit();
    RequestAdmission.Permit second = admission.admit();
    List<Integer> admitted = new CopyOnWriteArrayList<>();
    List<CompletableFuture<RequestAdmission.Permit>> waiting = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int order = i;
      waiting.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  RequestAdmission.Permit permit = admission.admit();
                  admitted.add(order);
                  return permit;
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              },
              command -> Thread.ofVirtual().start(command)));
      awaitQueued(admission, i + 1);
    }
    assertThat(admitted).isEmpty();

    admission.leave(first);
    waiting.get(0).get(5, TimeUnit.SECONDS);
    admission.leave(second);
    waiting.get(1).get(5, TimeUnit.SECONDS);
    assertThat(admitted).containsExactly(0, 1);
    admission.leave(waiting.get(0).get());
    admission.leave(waiting.get(1).get());
    admission.leave(waiting.get(2).get(5, TimeUnit.SECONDS));
    assertThat(admitted).containsExactly(0, 1, 2);
    assertThat(admission.available()).isEqualTo(2);
  }

  @Test
  void aRequestPastTheGracePeriodGivesItsPermitBackOnceOnly() throws Exception {
    RequestAdmission admission = new RequestAdmission(1, Duration.ofMillis(250), now::get);
    RequestAdmission.Permit slow = admission.admit();
    admission.releaseOverdue();
    assertThat(admission.available()).as("within the grace period it counts").isZero();

    now.addAndGet(Duration.ofMillis(250).toNanos());
    admission.releaseOverdue();
    assertThat(admission.available()).isEqualTo(1);
    RequestAdmission.Permit next = admission.admit();
    admission.releaseOverdue();
    assertThat(admission.available())
        .as("the next one's grace starts when it is admitted")
        .isZero();

    admission.leave(slow);
    assertThat(admission.available())
        .as("the slow one's leaving gives nothing back twice")
        .isZero();
    admission.leave(next);
    assertThat(admission.available()).isEqualTo(1);
  }

  @Test
  void throughTheFilterASlowRequestHoldsNoOneBackPastTheGraceAndHealthIsNeverHeld()
      throws Exception {
    RequestAdmissionFilter filter = new RequestAdmissionFilter(1);
    try {
      CountDownLatch slowRuns = new CountDownLatch(1);
      CountDownLatch finishSlow = new CountDownLatch(1);
      CompletableFuture<Void> slow =
          serveAsync(
              filter,
              "/api/v1/embedded/sources/check",
              () -> {
                slowRuns.countDown();
                await(finishSlow);
              });
      assertThat(slowRuns.await(5, TimeUnit.SECONDS)).isTrue();

      long started = System.nanoTime();
      serve(filter, "/api/v1/health", (request, response) -> {});
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("health is not held back")
          .isLessThan(RequestAdmissionFilter.GRACE);

      serve(filter, "/api/v1/embedded/sources", (request, response) -> {});
      Duration waited = Duration.ofNanos(System.nanoTime() - started);
      assertThat(waited)
          .as("served once the slow request's grace ran out, not when it finished")
          .isLessThan(Duration.ofSeconds(3));
      assertThat(slow).isNotDone();
      finishSlow.countDown();
      slow.get(5, TimeUnit.SECONDS);
    } finally {
      filter.destroy();
    }
  }

  @Test
  void zeroMeansNoLimitAndANegativeNumberIsRefused() throws Exception {
    RequestAdmissionFilter unlimited = new RequestAdmissionFilter(0);
    CountDownLatch both = new CountDownLatch(2);
    List<CompletableFuture<Void>> requests = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      requests.add(
          serveAsync(
              unlimited,
              "/api/v1/workspaces",
              () -> {
                both.countDown();
                await(both);
              }));
    }
    CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> new RequestAdmissionFilter(-1))
        .hasMessageContaining("tributary.request-concurrency");
  }

  /** A request on a virtual thread of its own, whose handling runs {@code work}. */
  private static CompletableFuture<Void> serveAsync(
      RequestAdmissionFilter filter, String path, Runnable work) {
    return CompletableFuture.runAsync(
        () -> serve(filter, path, (request, response) -> work.run()),
        command -> Thread.ofVirtual().start(command));
  }

  private static void serve(RequestAdmissionFilter filter, String path, FilterChain chain) {
    try {
      filter.doFilter(
          new MockHttpServletRequest("GET", path), new MockHttpServletResponse(), chain);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitQueued(RequestAdmission admission, int waiting) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (admission.queued() < waiting && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(admission.queued()).isEqualTo(waiting);
  }
}
