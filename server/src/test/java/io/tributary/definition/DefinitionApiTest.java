package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DefinitionApiTest extends ApiTest {

  @org.springframework.beans.factory.annotation.Autowired ConnectorRegistry registry;

  static final Map<String, String> SOURCES =
      Map.of(
          "decd338e-5647-4c0b-adf4-da0e75f5a750", "source-postgres",
          "435bb9a5-7887-4809-aa58-28c27df0d7ad", "source-mysql",
          "dfd88b22-b603-4c3d-aad7-3701784586b1", "source-faker",
          "778daa7c-feaf-4db6-96f3-70fd645acc77", "source-file");
  static final Map<String, String> DESTINATIONS =
      Map.of(
          "25c5221d-dce2-4163-ade9-739ef790f503", "destination-postgres",
          "94bd199c-2ff0-4aa2-b98e-17f0acb72610", "destination-duckdb",
          "4816b78f-1489-44c1-9060-4b19d5fa9362", "destination-s3",
          "a625d593-bba5-4a1c-a53d-2d246268a816", "destination-local-json",
          "8be1cf83-fde1-477f-a4ad-318d23c9f3c6", "destination-csv");

  @Test
  void everyBuiltInConnectorIsListedWithItsAirbyteId() {
    String token = fixtures.tenant().operatorToken();
    var sources =
        http.get("/api/v1/integrations/definitions/sources", token).json().get("definitions");
    // Other tests may have registered external connectors in the shared database: look at the
    // built-in ones.
    var builtIn = sources.valueStream().filter(d -> !d.get("custom").asBoolean()).toList();
    assertThat(builtIn.stream().map(d -> d.get("sourceDefinitionId").asString()).toList())
        .containsExactlyInAnyOrderElementsOf(SOURCES.keySet());
    builtIn.forEach(
        d ->
            assertThat(d.get("dockerRepository").asString())
                .isEqualTo("airbyte/" + SOURCES.get(d.get("sourceDefinitionId").asString())));

    var destinations =
        http.get("/api/v1/integrations/definitions/destinations", token).json().get("destinations");
    assertThat(destinations.valueStream().map(d -> d.get("id").asString()).toList())
        .containsAll(DESTINATIONS.keySet());
  }

  @Test
  void filtersByNameAndIds() {
    String token = fixtures.tenant().operatorToken();
    var postgres =
        http.get("/api/v1/integrations/definitions/sources?name=POSTGRES", token)
            .json()
            .get("definitions");
    assertThat(postgres.size()).isEqualTo(1);
    var some =
        http.get(
                "/api/v1/integrations/definitions/destinations?actorDefinitionIds=4816b78f-1489-44c1-9060-4b19d5fa9362"
                    + "&actorDefinitionIds=94bd199c-2ff0-4aa2-b98e-17f0acb72610",
                token)
            .json()
            .get("destinations");
    assertThat(some.valueStream().map(d -> d.get("name").asString()).toList())
        .containsExactly("DuckDB", "S3");
  }

  @Test
  void detailCarriesTheSpecWithAirbyteExtensions() {
    String token = fixtures.tenant().operatorToken();
    var postgres =
        http.get(
                "/api/v1/integrations/definitions/sources/decd338e-5647-4c0b-adf4-da0e75f5a750",
                token)
            .json();
    var schema = postgres.get("definition").get("spec").get("connectionSpecification");
    assertThat(schema.get("properties").get("password").get("airbyte_secret").asBoolean()).isTrue();
    assertThat(schema.get("properties").get("host").get("order").asInt()).isNotNegative();
    assertThat(schema.get("properties").get("ssl_mode").get("oneOf").size())
        .isGreaterThanOrEqualTo(6);
    assertThat(schema.get("required").valueStream().map(n -> n.asString()).toList())
        .contains("host", "port", "database", "username");

    var s3 =
        http.get(
                "/api/v1/integrations/definitions/destinations/4816b78f-1489-44c1-9060-4b19d5fa9362",
                token)
            .json();
    assertThat(
            s3.get("definition")
                .get("spec")
                .get("connectionSpecification")
                .get("properties")
                .has("s3_bucket_name"))
        .isTrue();
  }

  @Test
  void unknownDefinitionsAre404AndWrongKindToo() {
    String token = fixtures.tenant().operatorToken();
    assertThat(
            http.get("/api/v1/integrations/definitions/sources/" + UUID.randomUUID(), token).body())
        .isEqualTo(
            "{\"detail\":\"Source definition not found\",\"message\":\"Source definition not found\"}");
    // A destination id is not a source.
    assertThat(
            http.get(
                    "/api/v1/integrations/definitions/sources/4816b78f-1489-44c1-9060-4b19d5fa9362",
                    token)
                .status())
        .isEqualTo(404);
    assertThat(
            http.get("/api/v1/integrations/definitions/destinations/" + UUID.randomUUID(), token)
                .status())
        .isEqualTo(404);
  }

  @Test
  void everySpecIsAValidSchemaWhoseDefaultsValidate() {
    var validator = new ConfigValidator();
    for (ConnectorType type : ConnectorType.values()) {
      for (ConnectorDefinition definition : registry.all(type)) {
        assertThat(definition.connectionSpecification().get("type").asString()).isEqualTo("object");
        // An empty partial configuration is always acceptable.
        validator.validate(
            definition,
            tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
            ConfigValidator.Completeness.PARTIAL,
            "partial_default_config");
      }
    }
  }
}
