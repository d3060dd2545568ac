package io.tributary.token;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class SigningKeyRepository {

  private final JdbcClient jdbc;

  SigningKeyRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Keys that still verify at {@code now}, newest first. */
  List<StoredKey> findUsable(Instant now) {
    return jdbc.sql(
            """
            select kid, algorithm, public_jwk, private_key_ciphertext, created_at, verify_until
            from signing_keys where verify_until is null or verify_until > ?
            order by created_at desc, kid desc""")
        .param(Timestamp.from(now))
        .query(
            (rs, row) ->
                new StoredKey(
                    rs.getString("kid"),
                    rs.getString("algorithm"),
                    rs.getString("public_jwk"),
                    rs.getBytes("private_key_ciphertext"),
                    rs.getTimestamp("created_at").toInstant(),
                    rs.getTimestamp("verify_until") == null
                        ? null
                        : rs.getTimestamp("verify_until").toInstant()))
        .list();
  }

  /** Takes the transaction-scoped lock that serialises key creation and rotation across nodes. */
  void lock() {
    jdbc.sql("select pg_advisory_xact_lock(hashtext('tributary-signing-keys'))")
        .query()
        .singleRow();
  }

  void insert(StoredKey key) {
    jdbc.sql(
            """
            insert into signing_keys (kid, algorithm, public_jwk, private_key_ciphertext, created_at)
            values (?, ?, ?, ?, ?)""")
        .params(
            key.kid(),
            key.algorithm(),
            key.publicJwk(),
            key.privateKeyCiphertext(),
            Timestamp.from(key.createdAt()))
        .update();
  }

  /** Stops the current keys from signing; they keep verifying until {@code verifyUntil}. */
  void retireCurrent(Instant verifyUntil) {
    jdbc.sql("update signing_keys set verify_until = ? where verify_until is null")
        .param(Timestamp.from(verifyUntil))
        .update();
  }

  record StoredKey(
      String kid,
      String algorithm,
      String publicJwk,
      byte[] privateKeyCiphertext,
      Instant createdAt,
      Instant verifyUntil) {}
}
