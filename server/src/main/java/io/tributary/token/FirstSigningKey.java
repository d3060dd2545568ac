package io.tributary.token;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Makes the first token signing key when a server starts (once every bean exists, Flyway's
 * migrations included), before the HTTP port opens, so it is not made inside the first token
 * exchange.
 */
@Component
@ConditionalOnProperty(name = "tributary.role", havingValue = "server", matchIfMissing = true)
class FirstSigningKey implements SmartInitializingSingleton {

  private final SigningKeyRing signingKeys;

  FirstSigningKey(SigningKeyRing signingKeys) {
    this.signingKeys = signingKeys;
  }

  @Override
  public void afterSingletonsInstantiated() {
    signingKeys.signingKey();
  }
}
