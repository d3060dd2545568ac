package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.SourceDatabase;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A stream whose cursor changes is read again from the start: the state its connections saved is a
 * position on the old cursor, and an Airbyte connector resuming from it would skip what the new
 * cursor has not reached. Tributary cannot read such a state, so it sets it aside.
 */
class CursorChangeTest extends ApiTest {

  private String lastJob;

  @Test
  void aNewCursorReadsTheStreamAgainFromTheStart() {
    String definition =
        fixtures.registerScriptSource("Events", "src/test/resources/connectors/cursor-source.sh");
    var tenant = fixtures.tenant();
    String template = fixtures.allStreamsTemplate(tenant, definition, Map.of());
    fixtures.warehouseTemplate(tenant, SourceDatabase.create(), Map.of());
    String scoped = fixtures.scopedToken(tenant, "events-" + UUID.randomUUID());
    var source = fixtures.embeddedSource(scoped, template, Map.of());
    String connection = source.json().get("connection_ids").get(0).asString();
    String stream =
        "/api/v1/integrations/sources/" + source.json().get("id").asString() + "/streams/events";

    assertThat(cursor(stream, scoped, "incremental", "id").status()).isEqualTo(200);
    assertThat(committed(tenant.operatorToken(), connection)).as("first read").isEqualTo(3);
    assertThat(committed(tenant.operatorToken(), connection)).as("resumed").isZero();

    assertThat(cursor(stream, scoped, "incremental", "updated").status()).isEqualTo(200);
    assertThat(committed(tenant.operatorToken(), connection))
        .as("read again on the new cursor")
        .isEqualTo(3);
    assertThat(fixtures.jobLogs(tenant.operatorToken(), lastJob))
        .contains("Stream events is now read on cursor [updated], not [id]");
    assertThat(committed(tenant.operatorToken(), connection)).as("resumed again").isZero();

    assertThat(cursor(stream, scoped, "incremental", "updated").status()).isEqualTo(200);
    assertThat(committed(tenant.operatorToken(), connection))
        .as("the same cursor sent again changes nothing")
        .isZero();
  }

  private io.tributary.testing.Http.Response cursor(
      String stream, String token, String syncMode, String cursor) {
    return http.send(
        "PATCH",
        stream,
        token,
        "[{\"op\": \"replace\", \"path\": \"/sync_mode\", \"value\": \""
            + syncMode
            + "\"}, {\"op\": \"replace\", \"path\": \"/destination_sync_mode\", \"value\": \"append\"},"
            + " {\"op\": \"replace\", \"path\": \"/cursor_field\", \"value\": [\""
            + cursor
            + "\"]}]",
        Map.of("Content-Type", "application/json"));
  }

  private long committed(String operatorToken, String connection) {
    lastJob = fixtures.startSync(operatorToken, connection);
    var finished = fixtures.awaitFinished(operatorToken, lastJob);
    assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
    return finished.get("streams").get("events").get("records_committed").asLong();
  }
}
