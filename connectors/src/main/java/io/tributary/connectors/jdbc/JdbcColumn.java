package io.tributary.connectors.jdbc;

import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;

/** A table column as a JDBC source reads it: its name, its field type and how to read a value. */
public interface JdbcColumn extends JdbcStreamReader.ColumnReader {

  String name();

  FieldType type();

  /** The stream field it becomes. */
  Field field();

  /**
   * How a read takes this column's values: asked once per read, then called for every value, so a
   * column whose type decides how it is read can decide it here once.
   */
  default JdbcStreamReader.ColumnReader reader() {
    return this;
  }
}
