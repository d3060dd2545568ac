package io.tributary.connectors.jdbc;

import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;

/** A table column as a JDBC source reads it: its name, its field type and how to read a value. */
public interface JdbcColumn extends JdbcStreamReader.ColumnReader {

  String name();

  FieldType type();

  /** The stream field it becomes. */
  Field field();
}
