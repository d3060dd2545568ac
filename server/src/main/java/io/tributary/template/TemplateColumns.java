package io.tributary.template;

import java.util.ArrayList;
import java.util.List;

/**
 * A kind's own columns of one template and their values, in the order given: what the {@link
 * TemplateStore} writes besides the columns every kind has.
 */
public final class TemplateColumns {

  private final List<String> names = new ArrayList<>();
  private final List<String> placeholders = new ArrayList<>();
  private final List<Object> values = new ArrayList<>();

  public TemplateColumns set(String column, Object value) {
    return add(column, "?", value);
  }

  /** A {@code jsonb} column, given as JSON text. */
  public TemplateColumns json(String column, String text) {
    return add(column, "?::jsonb", text);
  }

  private TemplateColumns add(String column, String placeholder, Object value) {
    names.add(column);
    placeholders.add(placeholder);
    values.add(value);
    return this;
  }

  /** The column names, comma-separated. */
  String names() {
    return String.join(", ", names);
  }

  /** Their placeholders, comma-separated, in the same order. */
  String placeholders() {
    return String.join(", ", placeholders);
  }

  /** {@code column = placeholder} for each, comma-separated. */
  String assignments() {
    List<String> assignments = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      assignments.add(names.get(i) + " = " + placeholders.get(i));
    }
    return String.join(", ", assignments);
  }

  List<Object> values() {
    return values;
  }
}
