package io.tributary.protocol;

/**
 * One field of a stream's records.
 *
 * @param itemType the element type of an ARRAY field, null otherwise
 * @param precision for a NUMBER with a declared precision (a SQL {@code numeric(p, s)}), its
 *     digits; else null. Destinations without arbitrary-precision decimals use it to keep such
 *     values exact.
 * @param scale the declared digits after the point, with {@code precision}
 */
public record Field(
    String name, FieldType type, FieldType itemType, Integer precision, Integer scale) {

  public Field(String name, FieldType type) {
    this(name, type, null, null, null);
  }

  public Field(String name, FieldType type, FieldType itemType) {
    this(name, type, itemType, null, null);
  }

  public static Field decimal(String name, int precision, int scale) {
    return new Field(name, FieldType.NUMBER, null, precision, scale);
  }
}
