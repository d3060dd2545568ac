package io.tributary.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads raw rows: what a stolen database dump would show. */
class SecretsAtRestTest extends ApiTest {

  @Autowired JdbcClient jdbc;
  @Autowired SecretCipher cipher;

  @Test
  void clientSecretsAreStoredOnlyAsSaltedHashes() {
    var tenant = fixtures.tenant();
    String dump = dump("applications");

    assertThat(dump).contains(tenant.clientId()).doesNotContain(tenant.clientSecret());
    String hash =
        jdbc.sql("select client_secret_hash from applications where client_id = ?")
            .param(tenant.clientId())
            .query(String.class)
            .single();
    assertThat(hash).startsWith("pbkdf2-sha256$");
  }

  @Test
  void signingKeysAreStoredEncrypted() {
    fixtures.scopedToken(fixtures.tenant(), "keys");
    List<Map<String, Object>> rows =
        jdbc.sql("select kid, public_jwk, private_key_ciphertext from signing_keys")
            .query()
            .listOfRows();

    assertThat(rows).isNotEmpty();
    for (Map<String, Object> row : rows) {
      String publicJwk = (String) row.get("public_jwk");
      assertThat(publicJwk).doesNotContain("\"d\"");
      String ciphertext =
          new String((byte[]) row.get("private_key_ciphertext"), StandardCharsets.ISO_8859_1);
      assertThat(ciphertext)
          .doesNotContain("\"d\"")
          .doesNotContain("\"kty\"")
          .doesNotContain((String) row.get("kid"));
    }
    String kid = (String) rows.getFirst().get("kid");
    String privateJwk =
        new String(
            cipher.decrypt(
                (byte[]) rows.getFirst().get("private_key_ciphertext"), "signing-key:" + kid),
            StandardCharsets.UTF_8);
    String d = privateJwk.replaceAll(".*\"d\":\"([^\"]+)\".*", "$1");
    assertThat(d).isNotBlank().isNotEqualTo(privateJwk);
    assertThat(dump("signing_keys")).doesNotContain(d);
  }

  /** Every column of every row as text, the way pg_dump would print it. */
  private String dump(String table) {
    return String.join(
        "\n", jdbc.sql("select t::text from " + table + " t").query(String.class).list());
  }
}
