package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;

/**
 * The served OpenAPI document is checked in at docs/openapi.json, so every API change shows up in
 * review. After a deliberate change: {@code ./mvnw verify -Dtributary.openapi.update=true}.
 */
class OpenApiDocumentTest extends ApiTest {

  private static final Path CHECKED_IN = Path.of("..", "docs", "openapi.json");

  @Test
  void servedDocumentMatchesTheCheckedInOne() throws Exception {
    var served = http.get("/api/v1/openapi.json", null);
    assertThat(served.status()).isEqualTo(200);
    String canonical = canonical(served.body());

    if (Boolean.getBoolean("tributary.openapi.update") || !Files.exists(CHECKED_IN)) {
      Files.writeString(CHECKED_IN, canonical);
    }
    assertThat(canonical)
        .as(
            "docs/openapi.json is out of date; review the API change and run ./mvnw verify -Dtributary.openapi.update=true")
        .isEqualTo(Files.readString(CHECKED_IN));
  }

  @Test
  void everyOperationHasASummaryAndDocumentedResponses() {
    var paths = http.get("/api/v1/openapi.json", null).json().get("paths");
    for (var path : paths.properties()) {
      for (var operation : path.getValue().properties()) {
        assertThat(operation.getValue().has("summary"))
            .as("%s %s has a summary", operation.getKey(), path.getKey())
            .isTrue();
        assertThat(operation.getValue().get("responses").size())
            .as("%s %s responses", operation.getKey(), path.getKey())
            .isPositive();
      }
    }
  }

  /** Sorted keys, no server URL (it names the test's random port), stable indentation. */
  @SuppressWarnings("unchecked")
  private static String canonical(String json) {
    Map<String, Object> document = Http.JSON.readValue(json, Map.class);
    document.remove("servers");
    return Http.JSON
            .rebuild()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build()
            .writeValueAsString(sorted(document))
        + "\n";
  }

  @SuppressWarnings("unchecked")
  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((key, item) -> out.put((String) key, sorted(item)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return value;
  }
}
