package io.tributary.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.List;

/**
 * Records of one stream, each an array of values in the stream's field order (see {@link FieldType}
 * for the Java type of each value). Batches are how records move between threads: one hand-off per
 * batch, not per record.
 *
 * @param bytes an estimate of the records' payload (what they would take on the wire), for
 *     statistics
 * @param heapBytes what the records hold in the JVM's heap, objects and all: what buffers between
 *     threads are bounded by. A batch's payload estimate undercounts its heap by 3 to 6 times (a
 *     timestamp is 8 bytes of payload and 96 of objects), so a buffer bounded by it held several
 *     times its budget once a reader outpaced the writer.
 * @param encoded the records in their destination's wire format instead of values, or null; only
 *     sent to a destination that asked for that format
 */
public record RecordBatch(
    List<Object[]> records, long bytes, long heapBytes, EncodedRecords encoded) {

  public RecordBatch(List<Object[]> records, long bytes, long heapBytes) {
    this(records, bytes, heapBytes, null);
  }

  /** A batch whose heap size is measured here, on the thread that built it. */
  public RecordBatch(List<Object[]> records, long bytes) {
    this(records, bytes, heapOf(records));
  }

  /** Records that stay encoded from source to destination. */
  public static RecordBatch of(EncodedRecords encoded) {
    return new RecordBatch(
        List.of(), encoded.length(), align(ARRAY_HEADER + encoded.data().length), encoded);
  }

  /**
   * The records as values.
   *
   * @throws IllegalStateException for an {@link #encoded()} batch: a writer that reads values from
   *     it would write nothing, silently
   */
  @Override
  public List<Object[]> records() {
    if (encoded != null) {
      throw new IllegalStateException(
          "Records arrived encoded as "
              + encoded.format().name()
              + ", which this writer never asked for");
    }
    return records;
  }

  public int size() {
    return encoded == null ? records.size() : encoded.count();
  }

  // Sizes below are HotSpot's on 64-bit with compressed references (any heap under 32 GiB): a
  // 12-byte header, 4-byte references, objects aligned to 8 bytes.
  private static final int ARRAY_HEADER = 16;
  private static final int LIST = 24;

  /** The heap the records take: the list, each record's array and every value in it. */
  public static long heapOf(List<Object[]> records) {
    long total = listHeap(records.size());
    for (Object[] record : records) {
      total += recordHeap(record.length);
      for (Object value : record) {
        total += valueHeap(value);
      }
    }
    return total;
  }

  /**
   * The list of a batch of {@code size} records, without them: with {@link #recordHeap} and {@link
   * #valueHeap}, what {@link #heapOf} adds up, for a reader that measures each record as it builds
   * it.
   */
  public static long listHeap(int size) {
    return LIST + array(size);
  }

  /** One record's array of {@code width} values, without the values. */
  public static long recordHeap(int width) {
    return array(width);
  }

  /**
   * One value's objects, as {@link FieldType} lists them. Shared instances (booleans, cached small
   * numbers, zone offsets) are counted as new: over-counting is the safe side of a budget.
   */
  public static long valueHeap(Object value) {
    if (value == null) {
      return 0;
    }
    // the common final classes by identity first: a pattern switch tests its cases in order, and a
    // timestamp, 15th, paid for every test before it on each of millions of values
    Class<?> type = value.getClass();
    if (type == String.class) {
      return 24 + align(ARRAY_HEADER + ((String) value).length());
    }
    if (type == Long.class || type == Integer.class || type == Double.class) {
      return 16;
    }
    if (type == OffsetDateTime.class) {
      return 24 + 72;
    }
    if (type == LocalDate.class) {
      return 24;
    }
    return switch (value) {
      case null -> 0;
      // the object (24) and its array of Latin-1 bytes; text outside Latin-1 takes two bytes a
      // character, which only the JDK's internals could tell, so its array counts for half
      case String s -> 24 + align(ARRAY_HEADER + s.length());
      case Long l -> 16;
      case Integer i -> 16;
      case Double d -> 16;
      case Boolean b -> 16;
      // 40 for the object; an unscaled value past a long is a BigInteger of its own
      case BigDecimal d -> d.precision() > 18 ? 40 + valueHeap(d.unscaledValue()) : 40;
      case BigInteger i -> 40 + align(ARRAY_HEADER + 4L * (i.bitLength() / 32 + 1));
      case LocalDate d -> 24;
      case LocalTime t -> 24;
      case LocalDateTime t -> 72;
      case OffsetTime t -> 48;
      case OffsetDateTime t -> 24 + 72;
      case byte[] b -> align(ARRAY_HEADER + b.length);
      case List<?> list -> {
        long total = LIST + array(list.size());
        for (Object item : list) {
          total += valueHeap(item);
        }
        yield total;
      }
      default -> 32;
    };
  }

  private static long array(int references) {
    return align(ARRAY_HEADER + 4L * references);
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
