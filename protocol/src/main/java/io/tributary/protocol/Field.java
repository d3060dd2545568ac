package io.tributary.protocol;

/**
 * One field of a stream's records.
 *
 * @param itemType the element type of an ARRAY field, null otherwise
 */
public record Field(String name, FieldType type, FieldType itemType) {

  public Field(String name, FieldType type) {
    this(name, type, null);
  }
}
