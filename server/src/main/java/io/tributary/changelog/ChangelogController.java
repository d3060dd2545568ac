package io.tributary.changelog;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Public;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's changelog, which the Airbyte Embedded documentation links to at {@code
 * /api/v1/changelog}.
 */
@RestController
@Tag(name = "Changelog")
class ChangelogController {

  private final JsonNode changelog;

  ChangelogController(JsonMapper json) {
    try (InputStream in = new ClassPathResource("tributary/api-changelog.json").getInputStream()) {
      this.changelog = json.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("The API changelog is missing from the build", e);
    }
  }

  @Public
  @GetMapping("/api/v1/changelog")
  @Operation(
      summary =
          "What changed in the API, newest version first, and the policy for breaking changes")
  JsonNode changelog() {
    return changelog;
  }
}
