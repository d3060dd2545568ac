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
record FirstSigningKey(SigningKeyRing signingKeys) implements SmartInitializingSingleton {

  @Override
  public void afterSingletonsInstantiated() {
    signingKeys.signingKey();
  }
}
