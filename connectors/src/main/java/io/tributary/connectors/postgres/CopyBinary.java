package io.tributary.connectors.postgres;

import io.tributary.connector.ConnectorException;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Encodes records in the binary format of {@code COPY ... FROM STDIN (FORMAT binary)}, for columns
 * of exactly the types {@link PostgresWriter#sqlType} creates. The server then converts no text: on
 * a typical table that halves its share of a sync, and nothing needs escaping on this side.
 *
 * <p>Values are written as PostgreSQL's own {@code *_recv} functions read them: big-endian
 * integers, dates as days and timestamps as microseconds since 2000-01-01, numerics as base-10000
 * digit groups, jsonb with a version byte.
 */
final class CopyBinary extends CopyEncoder {

  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
  };
  private static final long EPOCH_2000_SECONDS = 946_684_800L;
  private static final int EPOCH_2000_DAYS = 10_957;
  private static final long[] POWERS_OF_TEN = {1, 10, 100, 1000};
  private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

  private final Field[] fields;
  private final int[] groups = new int[64];

  CopyBinary(List<Field> fields) {
    this.fields = fields.toArray(Field[]::new);
  }

  @Override
  String options() {
    return " (format binary)";
  }

  @Override
  void begin() {
    put(SIGNATURE);
    int32(0); // flags
    int32(0); // header extension length
  }

  @Override
  void end() {
    int16(-1);
  }

  @Override
  void append(Object[] record) {
    int16(fields.length);
    for (int i = 0; i < fields.length; i++) {
      Object value = record[i];
      if (value == null) {
        int32(-1);
      } else {
        value(fields[i], value);
      }
    }
  }

  private void value(Field field, Object value) {
    switch (field.type()) {
      case STRING -> text(value.toString(), false);
      case JSON -> text(value.toString(), true);
      case ARRAY -> text(Values.toJson(FieldType.ARRAY, field.itemType(), value).toString(), true);
      case INTEGER ->
          eightBytes(
              value instanceof BigInteger big
                  ? exactLong(big, field)
                  : ((Number) value).longValue());
      case NUMBER -> numeric(value);
      case BOOLEAN -> {
        int32(1);
        put((Boolean) value ? (byte) 1 : (byte) 0);
      }
      case DATE -> {
        LocalDate date = (LocalDate) value;
        int32(4);
        int32(
            date.equals(LocalDate.MAX)
                ? Integer.MAX_VALUE
                : date.equals(LocalDate.MIN)
                    ? Integer.MIN_VALUE
                    : Math.toIntExact(date.toEpochDay() - EPOCH_2000_DAYS));
      }
      case TIME_WITHOUT_TIMEZONE -> eightBytes(micros(((LocalTime) value).toNanoOfDay()));
      case TIME_WITH_TIMEZONE -> {
        OffsetTime time = (OffsetTime) value;
        int32(12);
        int64(micros(time.toLocalTime().toNanoOfDay()));
        int32(
            -time.getOffset()
                .getTotalSeconds()); // PostgreSQL counts zones west of Greenwich as positive
      }
      case TIMESTAMP_WITHOUT_TIMEZONE -> {
        LocalDateTime timestamp = (LocalDateTime) value;
        timestamp(
            timestamp.equals(LocalDateTime.MAX),
            timestamp.equals(LocalDateTime.MIN),
            timestamp.toEpochSecond(ZoneOffset.UTC),
            timestamp.getNano());
      }
      case TIMESTAMP_WITH_TIMEZONE -> {
        OffsetDateTime timestamp = (OffsetDateTime) value;
        timestamp(
            timestamp.equals(OffsetDateTime.MAX),
            timestamp.equals(OffsetDateTime.MIN),
            timestamp.toEpochSecond(),
            timestamp.getNano());
      }
      case BINARY -> {
        byte[] bytes = (byte[]) value;
        int32(bytes.length);
        put(bytes);
      }
    }
  }

  /**
   * UTF-8 text, or jsonb (a version byte, then the text). PostgreSQL text cannot hold NUL: it is
   * dropped.
   */
  private void text(String text, boolean jsonb) {
    if (text.indexOf('\0') >= 0) {
      text = text.replace("\0", "");
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int32(utf8.length + (jsonb ? 1 : 0));
    if (jsonb) {
      put((byte) 1);
    }
    put(utf8);
  }

  private void numeric(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        int32(8);
        int16(0);
        int16(0);
        int16(Double.isNaN(d) ? 0xC000 : d > 0 ? 0xD000 : 0xF000);
        int16(0);
        return;
      }
      value = value instanceof Float f ? new BigDecimal(f.toString()) : BigDecimal.valueOf(d);
    } else if (!(value instanceof BigDecimal)) {
      value = new BigDecimal(value.toString());
    }
    decimal((BigDecimal) value);
  }

  /**
   * Base-10000 digit groups, most significant first; {@code weight} is the power of 10000 of the
   * first group. The unscaled value is first padded so that the decimal point falls between two
   * groups.
   */
  private void decimal(BigDecimal value) {
    int scale = value.scale();
    int displayScale = Math.max(scale, 0);
    BigInteger unscaled = value.unscaledValue().abs();
    if (scale < 0) {
      unscaled = unscaled.multiply(BigInteger.TEN.pow(-scale));
      scale = 0;
    }
    int pad = (4 - scale % 4) % 4;
    int fractionGroups = (scale + pad) / 4;
    int count = 0;
    if (unscaled.bitLength() < 64) {
      // the padding's zeros go into the lowest group alone, so any long splits without overflow:
      // a double's 17 significant digits (the common case) never reach the BigInteger division
      long rest = unscaled.longValue();
      if (pad > 0 && rest > 0) {
        long fromValue = POWERS_OF_TEN[4 - pad];
        groups[count++] = (int) (rest % fromValue * POWERS_OF_TEN[pad]);
        rest /= fromValue;
      }
      for (; rest > 0; rest /= 10_000) {
        groups[count++] = (int) (rest % 10_000);
      }
    } else {
      BigInteger rest = unscaled.multiply(BigInteger.valueOf(POWERS_OF_TEN[pad]));
      int[] all = new int[rest.bitLength() / 13 + 2];
      while (rest.signum() > 0) {
        BigInteger[] division = rest.divideAndRemainder(TEN_THOUSAND);
        all[count++] = division[1].intValue();
        rest = division[0];
      }
      writeNumeric(all, count, fractionGroups, value.signum(), displayScale);
      return;
    }
    writeNumeric(groups, count, fractionGroups, value.signum(), displayScale);
  }

  /** {@code digits} hold {@code count} groups, least significant first. */
  private void writeNumeric(
      int[] digits, int count, int fractionGroups, int sign, int displayScale) {
    int weight = count - fractionGroups - 1;
    int lowest = 0;
    while (lowest < count && digits[lowest] == 0) {
      lowest++; // trailing zero groups are implied, as PostgreSQL stores them
    }
    int n = count - lowest;
    if (n == 0) {
      weight = 0;
    }
    int32(8 + 2 * n);
    int16(n);
    int16(weight);
    int16(sign < 0 ? 0x4000 : 0);
    int16(displayScale);
    for (int i = count - 1; i >= lowest; i--) {
      int16(digits[i]);
    }
  }

  private static long exactLong(BigInteger value, Field field) {
    if (value.bitLength() > 63) {
      throw ConnectorException.config(
          "Value " + value + " of " + field.name() + " is out of range for type bigint");
    }
    return value.longValue();
  }

  /**
   * Microseconds since 2000-01-01, rounding any nanoseconds to the nearest microsecond as
   * PostgreSQL does.
   */
  /** Java's MAX and MIN stand for PostgreSQL's infinity and -infinity. */
  private void timestamp(boolean max, boolean min, long epochSecond, int nanos) {
    eightBytes(max ? Long.MAX_VALUE : min ? Long.MIN_VALUE : micros(epochSecond, nanos));
  }

  private static long micros(long epochSecond, int nanos) {
    return (epochSecond - EPOCH_2000_SECONDS) * 1_000_000L + (nanos + 500) / 1000;
  }

  private static long micros(long nanoOfDay) {
    return (nanoOfDay + 500) / 1000;
  }

  private void int16(int value) {
    ensure(2);
    buffer[length++] = (byte) (value >>> 8);
    buffer[length++] = (byte) value;
  }

  private void int32(int value) {
    ensure(4);
    buffer[length++] = (byte) (value >>> 24);
    buffer[length++] = (byte) (value >>> 16);
    buffer[length++] = (byte) (value >>> 8);
    buffer[length++] = (byte) value;
  }

  /** A value of eight bytes, after its length. */
  private void eightBytes(long value) {
    int32(8);
    int64(value);
  }

  private void int64(long value) {
    int32((int) (value >>> 32));
    int32((int) value);
  }
}
