package io.tributary.protocol;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Converts between a stream's JSON schema and its ordered fields. */
public final class StreamSchema {

  /**
   * Declared precision and scale of a decimal field; Tributary's extension, ignored by other
   * readers.
   */
  public static final String DECIMAL_PRECISION = "decimal_precision";

  public static final String DECIMAL_SCALE = "decimal_scale";

  private StreamSchema() {}

  /** The JSON schema of records with these fields, in this order. */
  public static ObjectNode jsonSchema(List<Field> fields) {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (Field field : fields) {
      ObjectNode property = field.type().schema(field.itemType());
      if (field.precision() != null) {
        property.put(DECIMAL_PRECISION, field.precision());
        property.put(DECIMAL_SCALE, field.scale() == null ? 0 : field.scale());
      }
      properties.set(field.name(), property);
    }
    return schema;
  }

  /** The fields a JSON schema's {@code properties} define, in document order. */
  public static List<Field> fields(JsonNode jsonSchema) {
    List<Field> fields = new ArrayList<>();
    for (var property : jsonSchema.path("properties").properties()) {
      FieldType type = FieldType.of(property.getValue());
      FieldType item =
          type == FieldType.ARRAY ? FieldType.of(property.getValue().path("items")) : null;
      JsonNode value = property.getValue();
      Integer precision =
          value.has(DECIMAL_PRECISION) ? value.get(DECIMAL_PRECISION).asInt() : null;
      Integer scale = value.has(DECIMAL_SCALE) ? value.get(DECIMAL_SCALE).asInt() : null;
      fields.add(new Field(property.getKey(), type, item, precision, scale));
    }
    return fields;
  }
}
