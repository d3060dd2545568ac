package io.tributary.connectors.faker;

import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The three sample streams and their fields, in record order. */
enum FakeStream {
  USERS(
      "users",
      List.of(
          new Field("id", FieldType.INTEGER),
          new Field("created_at", FieldType.TIMESTAMP_WITH_TIMEZONE),
          new Field("updated_at", FieldType.TIMESTAMP_WITH_TIMEZONE),
          new Field("name", FieldType.STRING),
          new Field("title", FieldType.STRING),
          new Field("age", FieldType.INTEGER),
          new Field("email", FieldType.STRING),
          new Field("telephone", FieldType.STRING),
          new Field("gender", FieldType.STRING),
          new Field("language", FieldType.STRING),
          new Field("academic_degree", FieldType.STRING),
          new Field("nationality", FieldType.STRING),
          new Field("occupation", FieldType.STRING),
          new Field("height", FieldType.STRING),
          new Field("blood_type", FieldType.STRING),
          new Field("weight", FieldType.INTEGER),
          new Field("address", FieldType.JSON))),
  PRODUCTS(
      "products",
      List.of(
          new Field("id", FieldType.INTEGER),
          new Field("make", FieldType.STRING),
          new Field("model", FieldType.STRING),
          new Field("year", FieldType.INTEGER),
          new Field("price", FieldType.NUMBER),
          new Field("created_at", FieldType.TIMESTAMP_WITH_TIMEZONE),
          new Field("updated_at", FieldType.TIMESTAMP_WITH_TIMEZONE))),
  PURCHASES(
      "purchases",
      List.of(
          new Field("id", FieldType.INTEGER),
          new Field("user_id", FieldType.INTEGER),
          new Field("product_id", FieldType.INTEGER),
          new Field("added_to_cart_at", FieldType.TIMESTAMP_WITH_TIMEZONE),
          new Field("purchased_at", FieldType.TIMESTAMP_WITH_TIMEZONE),
          new Field("returned_at", FieldType.TIMESTAMP_WITH_TIMEZONE),
          new Field("created_at", FieldType.TIMESTAMP_WITH_TIMEZONE),
          new Field("updated_at", FieldType.TIMESTAMP_WITH_TIMEZONE)));

  private final String streamName;
  private final List<Field> fields;

  FakeStream(String streamName, List<Field> fields) {
    this.streamName = streamName;
    this.fields = fields;
  }

  String streamName() {
    return streamName;
  }

  List<Field> fields() {
    return fields;
  }

  int updatedAtIndex() {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals("updated_at")) {
        return i;
      }
    }
    throw new IllegalStateException();
  }

  static List<FakeStream> all() {
    return List.of(values());
  }

  static Optional<FakeStream> named(String name) {
    return Arrays.stream(values()).filter(s -> s.streamName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return streamName;
  }
}
