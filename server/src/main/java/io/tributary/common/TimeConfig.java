package io.tributary.common;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Time is injected so tests can move it. Everything that decides by time (the scheduler's due runs,
 * the queue's backoff, leases and the abandoned-job sweep) reads this clock; pair a moved clock
 * with the "now" hooks ({@code SyncScheduler.runDueNow}, {@code JobWorker.runDueNow}, {@code
 * JobLeases.sweepNow}) rather than waiting. A Spring test swaps it by declaring its own
 * {@code @Primary Clock} bean: {@code @ConditionalOnMissingBean} here only holds when that bean is
 * registered first, which the order of user configurations does not promise.
 */
@Configuration(proxyBeanMethods = false)
class TimeConfig {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }
}
