package io.tributary.connectors.files;

import io.tributary.protocol.Field;
import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.util.List;

/** How records become bytes in a file: JSON lines, CSV, Parquet. One instance per file. */
public interface RecordFormat {

  /** The file name extension, e.g. {@code jsonl}. */
  String extension();

  /** Writes the start of a file (a CSV header, nothing for JSON lines). */
  void begin(OutputStream out, List<Field> fields) throws IOException;

  void write(OutputStream out, List<Field> fields, Object[] record, OffsetDateTime extractedAt)
      throws IOException;

  /** Writes the end of a file (a Parquet footer); nothing for line formats. */
  default void finish(OutputStream out) throws IOException {}
}
