package io.tributary.definition;

import io.tributary.common.UnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Airbyte's connector registry: the JSON listing every connector with its definition id, icon,
 * docs, licence, language and PyPI package ({@code {"sources": [...], "destinations": [...]}}),
 * read from {@code TRIBUTARY_CONNECTOR_REGISTRY_URL}: Airbyte's public registry by default; a local
 * file, or a directory holding {@code oss_registry.json}, for air-gapped sites. Read again after
 * ten minutes.
 */
@Component
class AirbyteRegistryIndex {

  static final String PUBLIC_REGISTRY =
      "https://connectors.airbyte.com/files/registries/v0/oss_registry.json";
  private static final Duration FRESH = Duration.ofMinutes(10);

  private final String location;
  private final JsonMapper json;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
  private volatile List<Entry> entries;
  private volatile Instant readAt = Instant.MIN;

  AirbyteRegistryIndex(
      @Value("${tributary.connector-registry-url:" + PUBLIC_REGISTRY + "}") String location,
      JsonMapper json) {
    this.location = location.strip();
    this.json = json;
  }

  /**
   * One connector of the registry.
   *
   * @param name its registry name, e.g. {@code source-faker}
   * @param version the version the registry recommends (its image tag)
   * @param pypiPackage its package on PyPI when it is published there, else null
   * @param manifestOnly a declarative connector whose manifest is all there is to it
   */
  record Entry(
      ConnectorType type,
      UUID definitionId,
      String displayName,
      String name,
      String dockerRepository,
      String version,
      String iconUrl,
      String documentationUrl,
      String license,
      String language,
      String pypiPackage,
      boolean manifestOnly) {}

  /** The connector named {@code source-faker} (or {@code airbyte/source-faker}). */
  Optional<Entry> find(String name) {
    String wanted = name.toLowerCase(Locale.ROOT).replaceFirst("^airbyte/", "");
    return entries().stream().filter(entry -> entry.name().equals(wanted)).findFirst();
  }

  /** The connector published on PyPI as {@code packageName}. */
  Optional<Entry> findPackage(String packageName) {
    return entries().stream()
        .filter(entry -> packageName.equalsIgnoreCase(entry.pypiPackage()))
        .findFirst();
  }

  String location() {
    return location;
  }

  private List<Entry> entries() {
    if (entries == null || Instant.now().isAfter(readAt.plus(FRESH))) {
      synchronized (this) {
        if (entries == null || Instant.now().isAfter(readAt.plus(FRESH))) {
          entries = parse(json.readTree(read()));
          readAt = Instant.now();
        }
      }
    }
    return entries;
  }

  private String read() {
    try {
      if (location.startsWith("https://") || location.startsWith("http://")) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(location))
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
      }
      Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
      if (Files.isDirectory(path)) {
        path = path.resolve("oss_registry.json");
      }
      return Files.readString(path);
    } catch (IOException | RuntimeException e) {
      throw new UnavailableException(
          "Cannot read the connector registry at " + location + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("Interrupted reading the connector registry");
    }
  }

  private static List<Entry> parse(JsonNode registry) {
    List<Entry> all = new ArrayList<>();
    try {
      add(all, registry.path("sources"), ConnectorType.SOURCE, "sourceDefinitionId");
      add(all, registry.path("destinations"), ConnectorType.DESTINATION, "destinationDefinitionId");
    } catch (JacksonException | IllegalArgumentException e) {
      throw new UnavailableException("The connector registry is not valid: " + e.getMessage());
    }
    return List.copyOf(all);
  }

  private static void add(List<Entry> into, JsonNode connectors, ConnectorType type, String idKey) {
    for (JsonNode connector : connectors) {
      String repository = connector.path("dockerRepository").asString("");
      if (repository.isBlank() || !connector.hasNonNull(idKey)) {
        continue;
      }
      JsonNode pypi = connector.path("remoteRegistries").path("pypi");
      boolean manifestOnly = false;
      for (JsonNode tag : connector.path("tags")) {
        manifestOnly |= tag.asString("").equals("language:manifest-only");
      }
      into.add(
          new Entry(
              type,
              UUID.fromString(connector.get(idKey).asString()),
              connector.path("name").asString(repository),
              repository.substring(repository.indexOf('/') + 1).toLowerCase(Locale.ROOT),
              repository,
              connector.path("dockerImageTag").asString(null),
              connector.path("iconUrl").asString(null),
              connector.path("documentationUrl").asString(null),
              connector.path("license").asString(null),
              connector.path("language").asString(null),
              pypi.path("enabled").asBoolean(false)
                  ? pypi.path("packageName").asString(null)
                  : null,
              manifestOnly));
    }
  }
}
