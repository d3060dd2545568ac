package io.tributary.protocol;

/**
 * Records already in a destination's {@link RowFormat}: {@code count} whole records in the first
 * {@code length} bytes of {@code data}.
 */
public record EncodedRecords(RowFormat format, byte[] data, int length, int count) {

  public EncodedRecords {
    if (length < 0 || length > data.length || count < 0) {
      throw new IllegalArgumentException("length or count out of range");
    }
  }
}
