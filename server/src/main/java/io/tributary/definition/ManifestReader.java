package io.tributary.definition;

import io.tributary.common.ValidationException;
import io.tributary.definition.AirbyteRegistryIndex.Entry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads declarative manifests: YAML (or JSON) text, an https URL, or the manifest of a
 * manifest-only connector of the registry ({@code <registry dir>/<name>/manifest.yaml} for a local
 * registry, Airbyte's metadata bucket otherwise). A manifest must declare its streams and its
 * {@code spec.connection_specification}, the configuration end users fill in.
 */
@Component
class ManifestReader {

  static final String METADATA = "https://connectors.airbyte.com/files/metadata/airbyte/";

  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  /** The manifest in {@code text}, or at the URL it is. */
  ObjectNode read(String text) {
    String given = text.strip();
    if (given.startsWith("https://") || given.startsWith("http://")) {
      return parse(fetch(given, "manifest"));
    }
    return parse(given);
  }

  /** A manifest-only connector's manifest, from where its registry keeps it. */
  ObjectNode fromRegistry(AirbyteRegistryIndex index, Entry entry, String version) {
    String location = index.location();
    if (location.startsWith("https://") || location.startsWith("http://")) {
      return parse(fetch(METADATA + entry.name() + "/" + version + "/manifest.yaml", "name"));
    }
    Path directory =
        Path.of(location.startsWith("file:") ? URI.create(location).getPath() : location);
    Path manifest = directory.resolve(entry.name()).resolve("manifest.yaml");
    try {
      return parse(Files.readString(manifest));
    } catch (IOException e) {
      throw ValidationException.field(
          "name",
          entry.name() + " is manifest-only and its manifest is not at " + manifest,
          "value_error.unknown_connector");
    }
  }

  /** Whether the manifest names Python classes of its own (custom components). */
  static boolean usesCustomComponents(JsonNode node) {
    if (node.isObject()) {
      if (node.path("type").asString("").startsWith("Custom") || node.has("class_name")) {
        return true;
      }
    }
    for (JsonNode child : node) {
      if (child.isContainer() && usesCustomComponents(child)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode parse(String text) {
    JsonNode manifest;
    try {
      manifest = YAML.readTree(text);
    } catch (JacksonException e) {
      throw ValidationException.field(
          "manifest", "not valid YAML: " + e.getOriginalMessage(), "value_error.manifest");
    }
    if (!(manifest instanceof ObjectNode object)) {
      throw ValidationException.field(
          "manifest", "a manifest is a YAML mapping", "value_error.manifest");
    }
    if (!object.has("streams") && !object.has("dynamic_streams")) {
      throw ValidationException.field(
          "manifest", "the manifest declares no streams", "value_error.manifest");
    }
    if (!object.path("spec").path("connection_specification").isObject()) {
      throw ValidationException.field(
          "manifest", "the manifest has no spec.connection_specification", "value_error.manifest");
    }
    return object;
  }

  private String fetch(String url, String field) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw ValidationException.field(
            field, "fetching " + url + " answered HTTP " + response.statusCode(), "value_error");
      }
      return response.body();
    } catch (IOException | IllegalArgumentException e) {
      throw ValidationException.field(
          field, "cannot fetch " + url + ": " + e.getMessage(), "value_error");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ValidationException.field(field, "interrupted fetching " + url, "value_error");
    }
  }
}
