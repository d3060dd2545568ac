package io.tributary.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The API's naming: snake_case JSON fields and enums written as their {@code @JsonProperty} value.
 */
public final class Naming {

  private Naming() {}

  public static String snakeCase(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        if (!out.isEmpty()) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  public static String jsonValue(Enum<?> constant) {
    try {
      JsonProperty property =
          constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
      return property != null ? property.value() : constant.name().toLowerCase();
    } catch (NoSuchFieldException e) {
      return constant.name().toLowerCase();
    }
  }
}
