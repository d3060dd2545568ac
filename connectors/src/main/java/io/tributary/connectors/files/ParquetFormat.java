package io.tributary.connectors.files;

import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Parquet, written by an in-memory DuckDB: records are appended to a typed table and the file is
 * produced at {@link #finish}, with the same column types as the DuckDB destination (decimals keep
 * their precision).
 */
public final class ParquetFormat implements RecordFormat {

  private static final Set<String> CODECS =
      Set.of("UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "BROTLI", "LZ4");
  private final String codec;
  private Connection connection;
  private DuckDBAppender appender;

  public ParquetFormat(String codec) {
    String upper = codec == null ? "SNAPPY" : codec.toUpperCase(Locale.ROOT);
    this.codec = CODECS.contains(upper) ? upper : "SNAPPY";
  }

  @Override
  public String extension() {
    return "parquet";
  }

  @Override
  public void begin(OutputStream out, List<Field> fields) throws IOException {
    List<Field> columns = new ArrayList<>(fields);
    columns.add(new Field("_airbyte_extracted_at", FieldType.TIMESTAMP_WITH_TIMEZONE));
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:");
      try (var ddl = connection.createStatement()) {
        ddl.execute("create table records (" + DuckDbValues.definitions(columns) + ")");
      }
      appender = ((DuckDBConnection) connection).createAppender("main", "records");
    } catch (SQLException e) {
      throw new IOException("Cannot prepare a Parquet file: " + e.getMessage(), e);
    }
  }

  @Override
  public void write(
      OutputStream out, List<Field> fields, Object[] record, OffsetDateTime extractedAt)
      throws IOException {
    try {
      appender.beginRow();
      for (int i = 0; i < fields.size(); i++) {
        DuckDbValues.append(appender, fields.get(i), record[i]);
      }
      appender.append(extractedAt);
      appender.endRow();
    } catch (SQLException e) {
      throw new IOException("Cannot add a record to a Parquet file: " + e.getMessage(), e);
    }
  }

  @Override
  public void finish(OutputStream out) throws IOException {
    Path file = Files.createTempFile("tributary-", ".parquet");
    try {
      appender.close();
      try (var copy = connection.createStatement()) {
        copy.execute(
            "copy records to '"
                + file.toString().replace("'", "''")
                + "' (format parquet, compression "
                + codec
                + ")");
      }
      Files.copy(file, out);
    } catch (SQLException e) {
      throw new IOException("Cannot write a Parquet file: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(file);
      try {
        connection.close();
      } catch (SQLException ignored) {
        // an in-memory database: nothing left behind
      }
    }
  }
}
