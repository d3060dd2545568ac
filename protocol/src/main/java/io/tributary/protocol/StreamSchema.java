package io.tributary.protocol;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Converts between a stream's JSON schema and its ordered fields. */
public final class StreamSchema {

  private StreamSchema() {}

  /** The JSON schema of records with these fields, in this order. */
  public static ObjectNode jsonSchema(List<Field> fields) {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (Field field : fields) {
      properties.set(field.name(), field.type().schema(field.itemType()));
    }
    return schema;
  }

  /** The fields a JSON schema's {@code properties} define, in document order. */
  public static List<Field> fields(JsonNode jsonSchema) {
    List<Field> fields = new ArrayList<>();
    for (var property : jsonSchema.path("properties").properties()) {
      FieldType type = FieldType.of(property.getValue());
      FieldType item = type == FieldType.ARRAY ? FieldType.of(property.getValue().path("items")) : null;
      fields.add(new Field(property.getKey(), type, item));
    }
    return fields;
  }
}
