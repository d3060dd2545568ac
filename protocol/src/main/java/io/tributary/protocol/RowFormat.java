package io.tributary.protocol;

import java.util.List;

/**
 * A wire format in which a destination takes records as they are, beside records of Java values. A
 * source that can produce it sends {@link EncodedRecords} instead, and no value is decoded on one
 * side to be encoded again on the other: a copy between two databases of one kind moves their own
 * bytes.
 *
 * @param name which format, e.g. {@link #POSTGRES_BINARY_COPY}
 * @param columnTypes the destination's type of each field, in field order, as the destination names
 *     it: what each encoded value must already be
 */
public record RowFormat(String name, List<String> columnTypes) {

  /**
   * The tuples of PostgreSQL's {@code COPY ... (FORMAT binary)}, without its header and trailer,
   * text in UTF-8; column types named as the destination created them ({@code bigint}, {@code
   * numeric}, {@code timestamptz}, ...).
   */
  public static final String POSTGRES_BINARY_COPY = "postgresql-binary-copy";

  public RowFormat {
    columnTypes = List.copyOf(columnTypes);
  }
}
