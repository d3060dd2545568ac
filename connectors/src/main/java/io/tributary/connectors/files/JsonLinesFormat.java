package io.tributary.connectors.files;

import io.tributary.protocol.Field;
import io.tributary.protocol.Values;
import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON object per line in Airbyte's raw layout: {@code _airbyte_raw_id}, {@code
 * _airbyte_extracted_at} and the record under {@code _airbyte_data}.
 */
public final class JsonLinesFormat implements RecordFormat {

  /** Numbers keep every digit: decimals read as BigDecimal, not double. */
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  @Override
  public String extension() {
    return "jsonl";
  }

  @Override
  public void begin(OutputStream out, List<Field> fields) {}

  @Override
  public void write(
      OutputStream out, List<Field> fields, Object[] record, OffsetDateTime extractedAt)
      throws IOException {
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("_airbyte_raw_id", UUID.randomUUID().toString());
    line.put("_airbyte_extracted_at", extractedAt.toString());
    line.set("_airbyte_data", Values.toJson(fields, record));
    out.write(JSON.writeValueAsBytes(line));
    out.write('\n');
  }

  /** The record a line holds, in field order. */
  public static Object[] read(String line, List<Field> fields) {
    var data = JSON.readTree(line).get("_airbyte_data");
    Object[] record = new Object[fields.size()];
    for (int i = 0; i < record.length; i++) {
      Field field = fields.get(i);
      record[i] = Values.fromJson(field.type(), field.itemType(), data.get(field.name()));
    }
    return record;
  }
}
