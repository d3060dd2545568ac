package io.tributary.connectors.postgres;

import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * Encodes records in the text format of PostgreSQL's {@code COPY ... FROM STDIN}: tab-separated, {@code \N} for
 * null, backslash escapes for tab, newline, carriage return and backslash.
 */
final class CopyText {

  private final List<Field> fields;
  private final StringBuilder line = new StringBuilder(256);
  private byte[] buffer = new byte[1 << 16];
  private int length;

  CopyText(List<Field> fields) {
    this.fields = fields;
  }

  /** Appends one record; the encoded bytes accumulate until {@link #drain}. */
  void append(Object[] record) {
    line.setLength(0);
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        line.append('\t');
      }
      Object value = record[i];
      if (value == null) {
        line.append("\\N");
      } else {
        text(fields.get(i), value);
      }
    }
    line.append('\n');
    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    if (length + bytes.length > buffer.length) {
      byte[] larger = new byte[Math.max(buffer.length * 2, length + bytes.length)];
      System.arraycopy(buffer, 0, larger, 0, length);
      buffer = larger;
    }
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  int pending() {
    return length;
  }

  /** Hands the accumulated bytes to {@code sink} and starts over. */
  void drain(Sink sink) throws java.sql.SQLException {
    if (length > 0) {
      sink.write(buffer, length);
      length = 0;
    }
  }

  interface Sink {
    void write(byte[] bytes, int length) throws java.sql.SQLException;
  }

  private void text(Field field, Object value) {
    switch (field.type()) {
      case STRING, JSON -> escape(value.toString());
      case INTEGER -> line.append(value);
      case NUMBER -> line.append(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
      case BOOLEAN -> line.append((Boolean) value ? 't' : 'f');
      case TIME_WITH_TIMEZONE -> {
        OffsetTime time = (OffsetTime) value;
        line.append(time.toLocalTime()).append(time.getOffset() == ZoneOffset.UTC ? "+00:00" : time.getOffset().getId());
      }
      case BINARY -> line.append("\\\\x").append(HexFormat.of().formatHex((byte[]) value));
      case ARRAY -> escape(Values.toJson(FieldType.ARRAY, field.itemType(), value).toString());
      default -> line.append(Values.text(field.type(), value));
    }
  }

  private void escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> line.append("\\\\");
        case '\t' -> line.append("\\t");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\0' -> { } // PostgreSQL text cannot hold NUL
        default -> line.append(c);
      }
    }
  }
}
