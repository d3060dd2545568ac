package io.tributary.connectors.files;

import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.Values;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * RFC 4180 CSV with a header row: one column per field plus {@code _airbyte_extracted_at}. Null is
 * an empty unquoted field, an empty string a quoted one ({@code ""}), so the two stay
 * distinguishable.
 */
public final class CsvFormat implements RecordFormat {

  private final char delimiter;

  public CsvFormat(char delimiter) {
    this.delimiter = delimiter;
  }

  @Override
  public String extension() {
    return "csv";
  }

  @Override
  public void begin(OutputStream out, List<Field> fields) throws IOException {
    StringBuilder header = new StringBuilder();
    for (Field field : fields) {
      header.append(quote(field.name())).append(delimiter);
    }
    header.append("_airbyte_extracted_at\r\n");
    out.write(header.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void write(
      OutputStream out, List<Field> fields, Object[] record, OffsetDateTime extractedAt)
      throws IOException {
    StringBuilder line = new StringBuilder(128);
    for (int i = 0; i < fields.size(); i++) {
      Field field = fields.get(i);
      Object value = record[i];
      if (value != null) {
        String text =
            field.type() == FieldType.ARRAY
                ? Values.toJson(FieldType.ARRAY, field.itemType(), value).toString()
                : Values.text(field.type(), value);
        line.append(quote(text));
      }
      line.append(delimiter);
    }
    line.append(extractedAt).append("\r\n");
    out.write(line.toString().getBytes(StandardCharsets.UTF_8));
  }

  private String quote(String text) {
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
