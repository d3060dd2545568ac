package io.tributary.connectors.config;

import io.tributary.protocol.ConnectorSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A built-in connector's spec, read from its definition file {@code
 * tributary/connectors/<name>.json}.
 */
public final class Specs {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Specs() {}

  public static ConnectorSpecification load(String connector) {
    String resource = "tributary/connectors/" + connector + ".json";
    try (InputStream in = Specs.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing connector definition " + resource);
      }
      return JSON.treeToValue(JSON.readTree(in).get("spec"), ConnectorSpecification.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
