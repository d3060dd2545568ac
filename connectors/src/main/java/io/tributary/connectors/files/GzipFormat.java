package io.tributary.connectors.files;

import io.tributary.protocol.Field;
import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** A line format compressed with gzip ({@code .jsonl.gz}, {@code .csv.gz}). */
public final class GzipFormat implements RecordFormat {

  private final RecordFormat inner;
  private GZIPOutputStream gzip;

  public GzipFormat(RecordFormat inner) {
    this.inner = inner;
  }

  @Override
  public String extension() {
    return inner.extension() + ".gz";
  }

  @Override
  public void begin(OutputStream out, List<Field> fields) throws IOException {
    gzip = new GZIPOutputStream(new NonClosing(out), 1 << 16);
    inner.begin(gzip, fields);
  }

  @Override
  public void write(
      OutputStream out, List<Field> fields, Object[] record, OffsetDateTime extractedAt)
      throws IOException {
    inner.write(gzip, fields, record, extractedAt);
  }

  @Override
  public void finish(OutputStream out) throws IOException {
    inner.finish(gzip);
    gzip.finish();
  }

  /** The caller closes the underlying stream, after the gzip trailer is written. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
