package io.tributary.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.SourceDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A database of 5,000 tables: discovered through the background job, then queried from the cache.
 */
class LargeCatalogTest extends ApiTest {

  @Test
  void fiveThousandTablesAreDiscoveredInTheBackgroundAndQueriedFromTheCache() {
    SourceDatabase database = SourceDatabase.create();
    // In slices: one transaction creating 5,000 tables would exhaust the server's lock table.
    for (int from = 1; from <= 5000; from += 250) {
      database.execute(
          """
          do $$ begin
            for i in %d..%d loop
              execute format('create table t%%s (id bigint primary key, name text, amount numeric(12,2), updated_at timestamptz)', i);
            end loop;
          end $$;"""
              .formatted(from, from + 249));
    }
    var tenant = fixtures.tenant();
    String template = fixtures.postgresTemplate(tenant, database, List.of("t1"));
    String scoped = fixtures.scopedToken(tenant, "big");
    var source = fixtures.embeddedSource(scoped, template, database.userConfig("x"));
    String base = "/api/v1/integrations/sources/" + source.json().get("id").asString();

    var started = http.post(base + "/discover", scoped, null);
    assertThat(started.status()).isEqualTo(202);
    String job = started.json().get("job_id").asString();
    await("discover job " + job)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                !http.get("/api/v1/jobs/" + job, scoped)
                    .json()
                    .get("status")
                    .asString()
                    .equals("running"));
    assertThat(http.get("/api/v1/jobs/" + job, scoped).json().get("status").asString())
        .isEqualTo("succeeded");

    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      var names =
          http.post(base + "/catalog/query", scoped, Map.of("jmes_query", "length(streams)"));
      best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
      assertThat(names.json().asInt()).isEqualTo(5000);
    }
    assertThat(best).as("best of three cached catalog queries, ms").isLessThan(1000);
    var one =
        http.post(
            base + "/catalog/query", scoped, Map.of("jmes_query", "streams[?name==`t4321`].name"));
    assertThat(one.json().toString()).isEqualTo("[\"t4321\"]");
  }
}
