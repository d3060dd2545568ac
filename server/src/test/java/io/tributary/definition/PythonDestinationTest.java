package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.TiktokenCache;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A destination written in Python, the real {@code airbyte-destination-pgvector} from PyPI (issue
 * 13): installed through the admin API, it receives a sync into a PostgreSQL with pgvector ({@code
 * .ci/run} starts one on port 5433) using its fake embeddings, and echoes each state Tributary
 * sends; Tributary counts records as committed, and stores the state, only on the echo.
 */
// installs real packages from PyPI: minutes on a fresh machine, not the default 120 s
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PythonDestinationTest extends ApiTest {

  static final int PGVECTOR_PORT =
      Integer.parseInt(System.getenv().getOrDefault("TRIBUTARY_TEST_PGVECTOR_PORT", "5433"));

  @Autowired JdbcClient tributaryDatabase;

  private static String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + PGVECTOR_PORT + "/" + database;
  }

  @BeforeAll
  static void offlineTokenizer() throws Exception {
    TiktokenCache.prepare();
  }

  @Test
  void aSyncIntoPgvectorLandsEveryRecordAndCheckpointsOnTheEcho() throws SQLException {
    String database = "vectors_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
        var s = c.createStatement()) {
      s.execute("create database " + database);
    }
    try (Connection c = DriverManager.getConnection(url(database), "postgres", "");
        var s = c.createStatement()) {
      s.execute("create extension vector");
    }
    String definitionId = UUID.randomUUID().toString();
    JsonNode install =
        fixtures.installConnector(
            Map.of("name", "airbyte-destination-pgvector==0.1.4", "definition_id", definitionId));
    assertThat(install.get("status").asString()).as(install.toString()).isEqualTo("succeeded");

    var tenant = fixtures.tenant();
    fixtures.connectionTemplate(
        tenant,
        "Vectors",
        definitionId,
        Map.of(
            "embedding",
            Map.of("mode", "fake"),
            "processing",
            Map.of("chunk_size", 500),
            "indexing",
            Map.of(
                "host",
                "127.0.0.1",
                "port",
                PGVECTOR_PORT,
                "database",
                database,
                "default_schema",
                "public",
                "username",
                "postgres",
                "credentials",
                Map.of("password", "pgvector-password"))),
        Map.of());
    String template =
        fixtures.allStreamsTemplate(tenant, Fixtures.FAKER, Map.of("count", 25, "seed", 3));
    String scoped = fixtures.scopedToken(tenant, "vector corp");
    JsonNode source = fixtures.embeddedSource(scoped, template, Map.of()).json();
    // users incrementally, so that its commits carry a state for the destination to echo
    fixtures.selectStream(
        scoped,
        source.get("id").asString(),
        Map.of(
            "stream_name",
            "users",
            "sync_mode",
            "incremental",
            "destination_sync_mode",
            "append",
            "cursor_field",
            List.of("updated_at")));
    String connection = source.get("connection_ids").get(0).asString();

    JsonNode job = fixtures.sync(tenant.operatorToken(), connection);
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.get("streams").get("users").get("records_committed").asLong())
        .as("committed once the destination echoed the state after them")
        .isEqualTo(25);
    try (Connection c = DriverManager.getConnection(url(database), "postgres", "");
        var s = c.createStatement();
        var rs = s.executeQuery("select count(*), count(embedding) from users")) {
      rs.next();
      assertThat(rs.getLong(1)).as("a document per user").isEqualTo(25);
      assertThat(rs.getLong(2)).as("each with its (fake) embedding").isEqualTo(25);
    }
    assertThat(
            tributaryDatabase
                .sql("select state::text from connection_states where connection_id = ?::uuid")
                .param(connection)
                .query(String.class)
                .list())
        .as("the users' cursor, stored once the destination echoed it")
        .anyMatch(state -> state.contains("updated_at"));
    assertThat(fixtures.jobLogs(tenant.operatorToken(), job.get("id").asString()))
        .doesNotContain("pgvector-password");
  }
}
