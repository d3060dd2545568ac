package io.tributary.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.tributary.secret.SecretCipher;
import io.tributary.token.SigningKeyRepository.StoredKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ES256 keys tokens are signed with, read from the database so every node signs and verifies
 * alike.
 *
 * <p>The newest current key signs. Rotation retires it for signing but keeps it verifying for the
 * longest token lifetime, so tokens already handed out keep working. Nodes reload the ring
 * periodically and at once when a token names a key they have not seen.
 */
@Component
public class SigningKeyRing {

  private static final Logger log = LoggerFactory.getLogger(SigningKeyRing.class);

  /** Longer than any token lifetime an organization can configure (24 hours at most). */
  static final Duration RETIRED_KEY_GRACE = Duration.ofHours(25);

  private static final Duration MIN_RELOAD_INTERVAL = Duration.ofSeconds(1);

  private final SigningKeyRepository repository;
  private final SecretCipher cipher;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private volatile Ring ring = new Ring(null, Map.of());
  private volatile Instant lastReload = Instant.EPOCH;

  SigningKeyRing(
      SigningKeyRepository repository,
      SecretCipher cipher,
      TransactionTemplate transaction,
      Clock clock) {
    this.repository = repository;
    this.cipher = cipher;
    this.transaction = transaction;
    this.clock = clock;
  }

  /** The key new tokens are signed with; created on first use. */
  ECKey signingKey() {
    Ring current = ring;
    if (current.signing == null) {
      synchronized (this) {
        reload();
        if (ring.signing == null) {
          transaction.executeWithoutResult(
              status -> {
                repository.lock();
                if (repository.findUsable(clock.instant()).stream()
                    .noneMatch(key -> key.verifyUntil() == null)) {
                  repository.insert(newKey());
                }
              });
          reload();
        }
        current = ring;
      }
    }
    return current.signing;
  }

  /**
   * The public key for {@code kid}, reloading the ring (at most once a second) when it is unknown.
   */
  Optional<ECKey> verificationKey(String kid) {
    ECKey key = ring.verifying.get(kid);
    if (key == null
        && Duration.between(lastReload, clock.instant()).compareTo(MIN_RELOAD_INTERVAL) >= 0) {
      reload();
      key = ring.verifying.get(kid);
    }
    return Optional.ofNullable(key);
  }

  /**
   * Whether {@code kid} verifies in the ring as last loaded; no reload (a token it signed was
   * verified before, so the key was known then).
   */
  boolean verifies(String kid) {
    return ring.verifying.containsKey(kid);
  }

  /** The public keys that currently verify, as published at the JWKS endpoint. */
  public JWKSet publicKeys() {
    signingKey();
    return new JWKSet(
        ring.verifying.values().stream().map(key -> (com.nimbusds.jose.jwk.JWK) key).toList());
  }

  /**
   * Starts signing with a new key; the previous ones keep verifying for {@link #RETIRED_KEY_GRACE}.
   */
  public String rotate() {
    StoredKey fresh = newKey();
    transaction.executeWithoutResult(
        status -> {
          repository.lock();
          repository.retireCurrent(clock.instant().plus(RETIRED_KEY_GRACE));
          repository.insert(fresh);
        });
    reload();
    log.info("Rotated token signing key; new kid {}", fresh.kid());
    return fresh.kid();
  }

  public List<KeyInfo> keys() {
    return repository.findUsable(clock.instant()).stream()
        .map(key -> new KeyInfo(key.kid(), key.algorithm(), key.createdAt(), key.verifyUntil()))
        .toList();
  }

  @Scheduled(
      fixedDelayString = "${tributary.signing-key-refresh:60s}",
      initialDelayString = "${tributary.signing-key-refresh:60s}")
  void reload() {
    lastReload = clock.instant();
    List<StoredKey> stored = repository.findUsable(clock.instant());
    Map<String, ECKey> verifying = new LinkedHashMap<>();
    ECKey signing = null;
    for (StoredKey key : stored) {
      try {
        verifying.put(key.kid(), ECKey.parse(key.publicJwk()));
        if (signing == null && key.verifyUntil() == null) {
          String jwk =
              new String(
                  cipher.decrypt(key.privateKeyCiphertext(), context(key.kid())),
                  StandardCharsets.UTF_8);
          signing = ECKey.parse(jwk);
        }
      } catch (ParseException e) {
        log.error("Signing key {} is unreadable and is skipped", key.kid());
      }
    }
    ring = new Ring(signing, Map.copyOf(verifying));
  }

  private StoredKey newKey() {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyID(UUID.randomUUID().toString())
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .generate();
      byte[] sealed =
          cipher.encrypt(
              key.toJSONString().getBytes(StandardCharsets.UTF_8), context(key.getKeyID()));
      return new StoredKey(
          key.getKeyID(),
          JWSAlgorithm.ES256.getName(),
          key.toPublicJWK().toJSONString(),
          sealed,
          clock.instant(),
          null);
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot generate a signing key", e);
    }
  }

  private static String context(String kid) {
    return "signing-key:" + kid;
  }

  private record Ring(ECKey signing, Map<String, ECKey> verifying) {}

  public record KeyInfo(String kid, String algorithm, Instant createdAt, Instant verifyUntil) {}
}
