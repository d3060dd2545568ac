package io.tributary.common;

import io.tributary.common.ValidationException.FieldError;
import java.util.List;
import java.util.Optional;

/**
 * What every string the API accepts must be: Unicode text without NUL. PostgreSQL stores neither a
 * NUL ({@code text} and {@code jsonb} refuse it: a 500) nor half of a surrogate pair (the driver
 * silently writes {@code ?} in its place), so both are refused where input enters, with a 422.
 */
final class Strings {

  private Strings() {}

  /** The 422 entry at {@code loc} when {@code value} is not clean text. */
  static Optional<FieldError> problem(List<Object> loc, CharSequence value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        return Optional.of(
            new FieldError(
                loc,
                "string contains a NUL character (\\u0000), which is not allowed",
                "value_error.str.nul"));
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            new FieldError(
                loc,
                "string contains an unpaired surrogate (\\ud800-\\udfff): not valid Unicode",
                "value_error.str.unicode"));
      }
    }
    return Optional.empty();
  }
}
