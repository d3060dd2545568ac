package io.tributary.connectors.postgres;

import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Encodes records in the text format of PostgreSQL's {@code COPY ... FROM STDIN}: tab-separated,
 * {@code \N} for null, backslash escapes for tab, newline, carriage return and backslash.
 *
 * <p>This is the hottest loop of a PostgreSQL sync, so values are written straight into one byte
 * buffer (UTF-8 by hand, numbers and timestamps without intermediate strings) and a value repeated
 * by identity, such as the extraction time stamped on every row, is encoded once.
 */
final class CopyText extends CopyEncoder {

  private final FieldType[] types;
  private final Field[] fields;
  private final Object[] lastValue;
  private final byte[][] lastBytes;

  CopyText(List<Field> fields) {
    this.fields = fields.toArray(Field[]::new);
    this.types = fields.stream().map(Field::type).toArray(FieldType[]::new);
    this.lastValue = new Object[this.fields.length];
    this.lastBytes = new byte[this.fields.length][];
  }

  @Override
  void append(Object[] record) {
    for (int i = 0; i < types.length; i++) {
      if (i > 0) {
        put((byte) '\t');
      }
      Object value = record[i];
      if (value == null) {
        put((byte) '\\');
        put((byte) 'N');
      } else if (value == lastValue[i]) {
        put(lastBytes[i]);
      } else {
        value(i, value);
      }
    }
    put((byte) '\n');
  }

  @Override
  String options() {
    return "";
  }

  private void value(int column, Object value) {
    switch (types[column]) {
      case STRING, JSON -> escaped(value.toString());
      case INTEGER -> {
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
          integer(((Number) value).longValue());
        } else {
          ascii(value.toString());
        }
      }
      case NUMBER -> ascii(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
      case BOOLEAN -> put((Boolean) value ? (byte) 't' : (byte) 'f');
      case DATE -> {
        date((LocalDate) value);
        era(((LocalDate) value).getYear());
      }
      case TIMESTAMP_WITHOUT_TIMEZONE -> {
        int start = length;
        timestamp((LocalDateTime) value, false);
        remember(column, value, start);
      }
      case TIMESTAMP_WITH_TIMEZONE -> {
        int start = length;
        timestamp(
            ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), true);
        remember(column, value, start);
      }
      case TIME_WITH_TIMEZONE -> {
        OffsetTime time = (OffsetTime) value;
        ascii(time.toLocalTime().toString());
        ascii(time.getOffset() == ZoneOffset.UTC ? "+00:00" : time.getOffset().getId());
      }
      case BINARY -> {
        ascii("\\\\x");
        ascii(HexFormat.of().formatHex((byte[]) value));
      }
      case ARRAY ->
          escaped(Values.toJson(FieldType.ARRAY, fields[column].itemType(), value).toString());
      default -> escaped(Values.text(types[column], value));
    }
  }

  /** Keeps a value's bytes in case the next record holds the very same object. */
  private void remember(int column, Object value, int start) {
    lastValue[column] = value;
    lastBytes[column] = Arrays.copyOfRange(buffer, start, length);
  }

  /**
   * ISO date without an era; years before 1 are written as PostgreSQL counts them, followed later
   * by " BC".
   */
  private void date(LocalDate date) {
    int year = date.getYear() > 0 ? date.getYear() : 1 - date.getYear();
    if (year > 9999) {
      integer(year);
    } else {
      digits(year, 4);
    }
    put((byte) '-');
    digits(date.getMonthValue(), 2);
    put((byte) '-');
    digits(date.getDayOfMonth(), 2);
  }

  private void timestamp(LocalDateTime value, boolean utc) {
    date(value.toLocalDate());
    LocalTime time = value.toLocalTime();
    put((byte) ' ');
    digits(time.getHour(), 2);
    put((byte) ':');
    digits(time.getMinute(), 2);
    put((byte) ':');
    digits(time.getSecond(), 2);
    int nanos = time.getNano();
    if (nanos != 0) {
      put((byte) '.');
      if (nanos % 1000 == 0) {
        digits(nanos / 1000, 6);
      } else {
        digits(nanos, 9);
      }
    }
    if (utc) {
      ascii("+00");
    }
    era(value.getYear());
  }

  private void era(int year) {
    if (year < 1) {
      ascii(" BC");
    }
  }

  private void integer(long value) {
    if (value == Long.MIN_VALUE) {
      ascii(Long.toString(value));
      return;
    }
    if (value < 0) {
      put((byte) '-');
      value = -value;
    }
    int width = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      width++;
    }
    ensure(width);
    for (int i = length + width - 1; i >= length; i--) {
      buffer[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += width;
  }

  /** {@code value} in exactly {@code width} digits, zero-padded. */
  private void digits(int value, int width) {
    ensure(width);
    for (int i = length + width - 1; i >= length; i--) {
      buffer[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += width;
  }

  /** Text known to be ASCII without COPY's special characters: numbers, dates, hex. */
  private void ascii(String text) {
    ensure(text.length());
    for (int i = 0; i < text.length(); i++) {
      buffer[length++] = (byte) text.charAt(i);
    }
  }

  /**
   * UTF-8 with COPY's escapes. The JDK's encoder is vectorised, and the escaped characters never
   * occur inside a multi-byte sequence, so the encoded bytes are scanned rather than each
   * character.
   */
  private void escaped(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    ensure(utf8.length * 2);
    int copied = 0;
    for (int i = 0; i < utf8.length; i++) {
      byte b = utf8[i];
      if (b == '\\' || b >= 0 && b < ' ' && (b == '\t' || b == '\n' || b == '\r' || b == 0)) {
        System.arraycopy(utf8, copied, buffer, length, i - copied);
        length += i - copied;
        copied = i + 1;
        switch (b) {
          case '\\' -> two('\\', '\\');
          case '\t' -> two('\\', 't');
          case '\n' -> two('\\', 'n');
          case '\r' -> two('\\', 'r');
          default -> {} // NUL: PostgreSQL text cannot hold it
        }
      }
    }
    System.arraycopy(utf8, copied, buffer, length, utf8.length - copied);
    length += utf8.length - copied;
  }

  private void two(char a, char b) {
    buffer[length++] = (byte) a;
    buffer[length++] = (byte) b;
  }
}
