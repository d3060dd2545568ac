package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the documented error answers of the API. */
public final class ApiAssertions {

  private ApiAssertions() {}

  /** A 422 whose first validation error points at {@code location}, such as ["body","name"]. */
  public static void assertInvalidAt(Http.Response response, String location) {
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.errorLocation()).isEqualTo(location);
  }

  /** A 422 whose first validation error is of {@code type}, such as value_error.missing. */
  public static void assertInvalidAs(Http.Response response, String type) {
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.errorType()).isEqualTo(type);
  }

  /** A 422 one of whose validation errors points at {@code location}. */
  public static void assertInvalidAmong(Http.Response response, String location) {
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(
            response.json().get("detail").valueStream().map(e -> e.get("loc").toString()).toList())
        .as(response.toString())
        .contains(location);
  }
}
