package io.tributary.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.Destination;
import io.tributary.connector.Source;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.testing.TestEgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every definition file names a built-in connector of its kind whose spec is the file's spec. */
class DefinitionsTest {

  @TempDir Path localRoot;

  @Test
  void everyDefinitionHasAnImplementationWithTheSameSpec() throws Exception {
    var settings = new BuiltInConnectors.Settings(new LocalRoot(localRoot), TestEgress.LOCAL);
    JsonMapper json = JsonMapper.builder().build();
    List<Path> files;
    try (var list = Files.list(Path.of("src/main/resources/tributary/connectors"))) {
      files = list.toList();
    }
    assertThat(files).hasSize(9);
    for (Path file : files) {
      JsonNode definition = json.readTree(file.toFile());
      String implementation = definition.get("implementation").asString();
      Object connector = BuiltInConnectors.create(implementation, settings).orElseThrow();
      assertThat(connector.getClass().getName()).isEqualTo(implementation);
      boolean source = definition.get("type").asString().equals("source");
      Class<?> expected = source ? Source.class : Destination.class;
      assertThat(expected.isInstance(connector)).as(file.toString()).isTrue();
      var spec = source ? ((Source) connector).spec() : ((Destination) connector).spec();
      JsonNode actual = json.valueToTree(spec.connectionSpecification());
      assertThat(actual).isEqualTo(definition.get("spec").get("connectionSpecification"));
    }
  }
}
