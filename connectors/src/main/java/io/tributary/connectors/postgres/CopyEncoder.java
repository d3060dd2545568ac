package io.tributary.connectors.postgres;

import java.util.Arrays;

/**
 * Encodes records for one {@code COPY ... FROM STDIN} into a byte buffer that the writer drains to
 * the server whenever it is large enough. Subclasses write one record per {@link #append}.
 */
abstract sealed class CopyEncoder permits CopyText, CopyBinary {

  protected byte[] buffer = new byte[1 << 16];
  protected int length;

  /** The COPY options this encoding needs, e.g. {@code (format binary)}; empty for text. */
  abstract String options();

  /** Called when a COPY starts, before its first record. */
  void begin() {}

  abstract void append(Object[] record);

  /** Called before the COPY ends, after its last record. */
  void end() {}

  final int pending() {
    return length;
  }

  /** Hands the accumulated bytes to {@code sink} and starts over. */
  final void drain(Sink sink) throws java.sql.SQLException {
    if (length > 0) {
      sink.write(buffer, length);
      length = 0;
    }
  }

  interface Sink {
    void write(byte[] bytes, int length) throws java.sql.SQLException;
  }

  final void put(byte b) {
    ensure(1);
    buffer[length++] = b;
  }

  final void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  final void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
