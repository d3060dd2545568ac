package io.tributary.connectors.external;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Lines of a connector's output, none held longer than a bound: {@link
 * java.io.BufferedReader#readLine()} keeps a line of any length in memory, so a process printing
 * hundreds of megabytes without a newline would exhaust the heap. A line ends at {@code \n}, {@code
 * \r} or {@code \r\n}, as there.
 */
final class BoundedLineReader implements Closeable {

  /** A line longer than the bound, where the reader {@link #failing fails}. */
  static final class LineTooLongException extends IOException {
    LineTooLongException(int max) {
      super("a line is longer than " + max + " characters");
    }
  }

  private final Reader in;
  private final int max;
  private final boolean truncate;
  private final char[] buffer = new char[1 << 16];
  private int position;
  private int limit;
  private boolean skipLf;

  private BoundedLineReader(Reader in, int max, boolean truncate) {
    this.in = in;
    this.max = max;
    this.truncate = truncate;
  }

  /** A reader whose {@link #readLine} throws {@link LineTooLongException} past {@code max}. */
  static BoundedLineReader failing(Reader in, int max) {
    return new BoundedLineReader(in, max, false);
  }

  /** A reader that keeps the first {@code max} characters of a longer line and skips the rest. */
  static BoundedLineReader truncating(Reader in, int max) {
    return new BoundedLineReader(in, max, true);
  }

  /**
   * The next line without its terminator, or null at the end of the input.
   *
   * @throws LineTooLongException when the line is longer than the bound (a failing reader); the
   *     rest of the input is then unread
   */
  String readLine() throws IOException {
    StringBuilder line = null;
    boolean started = false;
    while (true) {
      if (position == limit && !fill()) {
        return started ? (line == null ? "" : line.toString()) : null;
      }
      if (skipLf) {
        skipLf = false;
        if (buffer[position] == '\n') {
          position++;
          continue;
        }
      }
      started = true;
      int start = position;
      while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
        position++;
      }
      boolean ended = position < limit;
      int length = position - start;
      if (ended) {
        skipLf = buffer[position] == '\r';
        position++;
        if (line == null && length <= max) {
          return new String(buffer, start, length);
        }
      }
      if (line == null) {
        line = new StringBuilder(Math.min(max, Math.max(length * 2, 256)));
      }
      int room = max - line.length();
      if (length > room) {
        if (!truncate) {
          throw new LineTooLongException(max);
        }
        length = room;
      }
      line.append(buffer, start, length);
      if (ended) {
        return line.toString();
      }
    }
  }

  private boolean fill() throws IOException {
    int read;
    do {
      read = in.read(buffer, 0, buffer.length);
    } while (read == 0);
    if (read < 0) {
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
