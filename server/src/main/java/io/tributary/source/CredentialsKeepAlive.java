package io.tributary.source;

import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.definition.ConnectorType;
import io.tributary.oauth.OAuthFlow;
import io.tributary.protocol.ConnectionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps idle OAuth grants alive. Many providers expire a refresh token nobody uses for a while
 * (weeks to months), which is how a source whose syncs were paused, or that syncs rarely, dies
 * silently. A source connected by OAuth whose credentials went unused for {@code
 * tributary.oauth.keep-alive-after} is checked: its connector refreshes the expired access token,
 * and the rotated refresh token it reports is stored at once. A refused grant marks the source, as
 * a sync would. Each source is claimed before its check, so one node checks it at a time.
 */
@Component
@ConditionalOnProperty(
    name = "tributary.worker.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class CredentialsKeepAlive {

  private static final Logger log = LoggerFactory.getLogger(CredentialsKeepAlive.class);
  private static final int BATCH = 20;

  private final SourceRepository sources;
  private final SourceService service;
  private final ConnectorRegistry registry;
  private final Clock clock;
  private final Duration keepAliveAfter;

  CredentialsKeepAlive(
      SourceRepository sources,
      SourceService service,
      ConnectorRegistry registry,
      Clock clock,
      @Value("${tributary.oauth.keep-alive-after:7d}") Duration keepAliveAfter) {
    this.sources = sources;
    this.service = service;
    this.registry = registry;
    this.clock = clock;
    this.keepAliveAfter = keepAliveAfter;
  }

  @Scheduled(
      fixedDelayString = "${tributary.oauth.keep-alive-poll:15m}",
      initialDelayString = "${tributary.oauth.keep-alive-poll:15m}")
  void tick() {
    runDueNow();
  }

  /** Checks the sources due now, on the calling thread; how many were checked. */
  public int runDueNow() {
    Instant now = clock.instant();
    Instant idleSince = now.minus(keepAliveAfter);
    // only OAuth sources, chosen in the query: a batch of idle sources of other kinds, which are
    // never claimed, would otherwise fill every batch for ever
    List<UUID> oauth =
        registry.all(ConnectorType.SOURCE).stream()
            .filter(definition -> OAuthFlow.of(definition.spec()).isPresent())
            .map(ConnectorDefinition::definitionId)
            .toList();
    int checked = 0;
    for (SourceRecord source : sources.idleWithValidCredentials(oauth, idleSince, BATCH)) {
      if (!sources.claimKeepAlive(source.id(), idleSince, now)) {
        continue;
      }
      try {
        ConnectionStatus status = service.check(source);
        log.info(
            "Kept source {} alive: its credentials {}",
            source.id(),
            status.ok() ? "work" : "failed the check");
      } catch (RuntimeException e) {
        // the provider or the connector is away: the next round tries again
        log.warn("Could not check idle source {}: {}", source.id(), e.getMessage());
      }
      checked++;
    }
    return checked;
  }
}
