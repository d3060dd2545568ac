package io.tributary.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connectors.testing.TestEgress;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A PostgreSQL that checks passwords (the shared test server trusts local connections), so a wrong
 * password gets the message a user needs, and the right one passes.
 */
class PostgresPasswordTest {

  @Test
  void wrongPasswordIsReportedAsSuchAndTheRightOnePasses() throws Exception {
    try (EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectoryCustomizer(
                dir -> {
                  try {
                    Files.writeString(
                        dir.toPath().resolve("pg_hba.conf"),
                        """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          var s = c.createStatement()) {
        s.execute("create role bob login password 'correct horse battery staple'");
      }
      ObjectNode config =
          JsonNodeFactory.instance
              .objectNode()
              .put("host", "127.0.0.1")
              .put("port", postgres.getPort())
              .put("database", "postgres")
              .put("username", "bob")
              .put("password", "Tr0ub4dor&3");
      config.putObject("ssl_mode").put("mode", "disable");

      var wrong = new PostgresSource(TestEgress.LOCAL).check(config);
      assertThat(wrong.ok()).isFalse();
      assertThat(wrong.message())
          .isEqualTo("Authentication failed for user 'bob': check the username and password");
      assertThat(wrong.message()).doesNotContain("Tr0ub4dor&3");

      var right =
          new PostgresSource(TestEgress.LOCAL)
              .check(config.put("password", "correct horse battery staple"));
      assertThat(right.ok()).as(right.message()).isTrue();
    }
  }
}
