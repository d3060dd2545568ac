package io.tributary.secret;

import io.tributary.settings.TributaryProperties;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The master key: {@code TRIBUTARY_MASTER_KEY}, or on the embedded default a key generated once
 * into the data directory. With an external database it must be configured, since the data
 * directory of one node is not shared with the others.
 */
@Configuration(proxyBeanMethods = false)
class SecretConfig {

  @Bean
  SecretCipher secretCipher(TributaryProperties properties) {
    byte[] key = masterKey(properties);
    return new SecretCipher(new SecretKeySpec(key, "AES"));
  }

  private static byte[] masterKey(TributaryProperties properties) {
    if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
      return decode(properties.masterKey().trim(), "TRIBUTARY_MASTER_KEY");
    }
    if (!properties.embeddedDatabase()) {
      throw new IllegalStateException(
          "TRIBUTARY_MASTER_KEY is required with TRIBUTARY_DATABASE_URL (32 random bytes in base64, e.g. `openssl rand -base64 32`)");
    }
    Path file = properties.dataDir().resolve("master.key");
    return decode(InstanceFiles.readOrCreate(file, () -> randomBase64(32)), file.toString());
  }

  private static byte[] decode(String base64, String origin) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(origin + " is not valid base64");
    }
    if (key.length != 32) {
      throw new IllegalStateException(
          origin + " must hold exactly 32 bytes (base64 of 32 random bytes)");
    }
    return key;
  }

  static String randomBase64(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return Base64.getEncoder().encodeToString(value);
  }
}
