package io.tributary.oauth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two short-lived, single-use things of a consent: the consent itself, keyed by its state, and
 * the sealed outcome waiting for a source, keyed by its secret id. Both keys are stored as SHA-256
 * only; using one is a conditional update, so two requests racing with the same key get it once.
 */
@Repository
class OAuthStore {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  OAuthStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A consent under way. */
  record Consent(
      UUID organizationId,
      UUID workspaceId,
      UUID definitionId,
      UUID sourceTemplateId,
      UUID sourceId,
      String redirectUrl,
      String callbackUrl,
      ObjectNode inputConfig,
      byte[] codeVerifier) {}

  /** An outcome waiting for its source. */
  record Outcome(
      UUID organizationId, UUID workspaceId, UUID definitionId, UUID sourceId, byte[] payload) {}

  void insertConsent(byte[] stateHash, Consent consent, Instant now, Instant expiresAt) {
    jdbc.sql(
            """
            insert into oauth_consents (state_hash, organization_id, workspace_id, definition_id, source_template_id,
                source_id, redirect_url, callback_url, input_config, code_verifier, created_at, expires_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")
        .params(
            stateHash,
            consent.organizationId(),
            consent.workspaceId(),
            consent.definitionId(),
            consent.sourceTemplateId(),
            consent.sourceId(),
            consent.redirectUrl(),
            consent.callbackUrl(),
            json.writeValueAsString(consent.inputConfig()),
            consent.codeVerifier(),
            Timestamp.from(now),
            Timestamp.from(expiresAt))
        .update();
  }

  /** Marks the consent used and returns it, unless it is unknown, used already or expired. */
  Optional<Consent> useConsent(byte[] stateHash, Instant now) {
    return jdbc.sql(
            """
            update oauth_consents set used_at = ? where state_hash = ? and used_at is null and expires_at > ?
            returning organization_id, workspace_id, definition_id, source_template_id, source_id, redirect_url,
                callback_url, input_config::text as input_config, code_verifier""")
        .params(Timestamp.from(now), stateHash, Timestamp.from(now))
        .query(
            (rs, row) ->
                new Consent(
                    rs.getObject("organization_id", UUID.class),
                    rs.getObject("workspace_id", UUID.class),
                    rs.getObject("definition_id", UUID.class),
                    rs.getObject("source_template_id", UUID.class),
                    rs.getObject("source_id", UUID.class),
                    rs.getString("redirect_url"),
                    rs.getString("callback_url"),
                    (ObjectNode) json.readTree(rs.getString("input_config")),
                    rs.getBytes("code_verifier")))
        .optional();
  }

  void insertOutcome(byte[] idHash, Outcome outcome, Instant now, Instant expiresAt) {
    jdbc.sql(
            """
            insert into oauth_secrets (id_hash, organization_id, workspace_id, definition_id, source_id, payload,
                created_at, expires_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(
            idHash,
            outcome.organizationId(),
            outcome.workspaceId(),
            outcome.definitionId(),
            outcome.sourceId(),
            outcome.payload(),
            Timestamp.from(now),
            Timestamp.from(expiresAt))
        .update();
  }

  /** An outcome still waiting: not taken and not expired. */
  Optional<Outcome> findOutcome(byte[] idHash, Instant now) {
    return jdbc.sql(
            """
            select organization_id, workspace_id, definition_id, source_id, payload from oauth_secrets
            where id_hash = ? and consumed_at is null and expires_at > ?""")
        .params(idHash, Timestamp.from(now))
        .query(
            (rs, row) ->
                new Outcome(
                    rs.getObject("organization_id", UUID.class),
                    rs.getObject("workspace_id", UUID.class),
                    rs.getObject("definition_id", UUID.class),
                    rs.getObject("source_id", UUID.class),
                    rs.getBytes("payload")))
        .optional();
  }

  /** Replaces a waiting outcome's payload (tokens the connector rotated); taken ones stay taken. */
  void replaceOutcome(byte[] idHash, byte[] payload, Instant now) {
    jdbc.sql(
            """
            update oauth_secrets set payload = ?
            where id_hash = ? and consumed_at is null and expires_at > ?""")
        .params(payload, idHash, Timestamp.from(now))
        .update();
  }

  /** Takes the outcome for good; false when another request took it first or it expired. */
  boolean consumeOutcome(byte[] idHash, Instant now) {
    return jdbc.sql(
                """
                update oauth_secrets set consumed_at = ?, payload = ''::bytea
                where id_hash = ? and consumed_at is null and expires_at > ?""")
            .params(Timestamp.from(now), idHash, Timestamp.from(now))
            .update()
        == 1;
  }

  /**
   * Forgets consents and outcomes long past their life (a day, to keep replays answerable); the
   * tokens and PKCE verifiers of expired ones go at once.
   */
  void purge(Instant now) {
    Timestamp expired = Timestamp.from(now);
    Timestamp before = Timestamp.from(now.minusSeconds(86_400));
    jdbc.sql(
            "update oauth_secrets set payload = ''::bytea where expires_at < ? and payload <> ''::bytea")
        .param(expired)
        .update();
    jdbc.sql(
            "update oauth_consents set code_verifier = null where expires_at < ? and code_verifier is not null")
        .param(expired)
        .update();
    jdbc.sql("delete from oauth_consents where expires_at < ?").param(before).update();
    jdbc.sql("delete from oauth_secrets where expires_at < ?").param(before).update();
  }
}
