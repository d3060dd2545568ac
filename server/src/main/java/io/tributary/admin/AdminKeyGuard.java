package io.tributary.admin;

import io.tributary.common.NotFoundException;
import io.tributary.common.UnauthorizedException;
import io.tributary.secret.InstanceFiles;
import io.tributary.settings.TributaryProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * The instance admin key: {@code TRIBUTARY_ADMIN_KEY}, or on the embedded default one generated
 * into {@code <data dir>/admin.key}. Without either the admin API is off.
 */
@Component
class AdminKeyGuard {

  private final byte[] key;

  AdminKeyGuard(TributaryProperties properties) {
    String configured = properties.adminKey();
    if (configured != null && !configured.isBlank()) {
      key = configured.trim().getBytes(StandardCharsets.UTF_8);
    } else if (properties.embeddedDatabase()) {
      key =
          InstanceFiles.readOrCreate(
                  properties.dataDir().resolve("admin.key"), AdminKeyGuard::randomKey)
              .getBytes(StandardCharsets.UTF_8);
    } else {
      key = null;
    }
  }

  void check(String authorization) {
    if (key == null) {
      throw new NotFoundException(
          "Admin API", null, "The admin API is disabled: set TRIBUTARY_ADMIN_KEY");
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new UnauthorizedException();
    }
    byte[] offered = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(key, offered)) {
      throw new UnauthorizedException();
    }
  }

  private static String randomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
