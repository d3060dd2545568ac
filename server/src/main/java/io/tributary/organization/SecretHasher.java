package io.tributary.organization;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 for client secrets, stored as {@code
 * pbkdf2-sha256$iterations$salt$hash} so the cost can be raised later without invalidating existing
 * hashes. Generated secrets carry 256 bits of entropy; the stretching protects secrets an operator
 * chose (the bootstrap secret) if the database leaks.
 */
public final class SecretHasher {

  private static final int ITERATIONS = 100_000;
  private static final String PREFIX = "pbkdf2-sha256";
  private static final SecureRandom random = new SecureRandom();

  /** Compared against when the client id is unknown, so both failures take the same time. */
  private static final String DECOY = hash("decoy-secret-for-unknown-clients");

  private SecretHasher() {}

  public static String hash(String secret) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] derived = derive(secret, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX
        + "$"
        + ITERATIONS
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(derived);
  }

  public static boolean matches(String secret, String stored) {
    String[] parts = (stored == null ? DECOY : stored).split("\\$");
    if (parts.length != 4 || !PREFIX.equals(parts[0])) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    byte[] actual = derive(secret, salt, Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual) && stored != null;
  }

  private static byte[] derive(String secret, byte[] salt, int iterations) {
    try {
      var spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2 is not available", e);
    }
  }

  static String randomSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
