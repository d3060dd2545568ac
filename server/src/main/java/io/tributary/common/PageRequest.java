package io.tributary.common;

import io.tributary.common.ValidationException.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code ?limit=&cursor=} of a keyset-paginated list. The cursor is an opaque token naming the last
 * row of the previous page by its sort key ({@code created_at}, {@code id}), so a page costs the
 * same wherever it is in the list and rows inserted during a walk never shift what follows.
 */
public record PageRequest(int limit, Key after) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  /** The sort key of a row: creation time, then id to break ties. */
  public record Key(Instant createdAt, UUID id) {}

  public static PageRequest of(Integer limit, String cursor) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw new ValidationException(
          List.of(
              new FieldError(
                  List.of("query", "limit"),
                  "ensure this value is between 1 and " + MAX_LIMIT,
                  "value_error.number.not_in_range")));
    }
    return new PageRequest(size, cursor == null || cursor.isBlank() ? null : decode(cursor));
  }

  /** Rows to fetch: one more than the page, to learn whether another page follows. */
  public int fetchSize() {
    return limit + 1;
  }

  /**
   * Cuts the fetched rows to a page and links the next one.
   *
   * @param rows at most {@link #fetchSize()} rows in key order
   */
  public <T> Page<T> page(
      List<T> rows, Function<T, Key> key, HttpServletRequest request, String publicBaseUrl) {
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<T> data = rows.subList(0, limit);
    Key last = key.apply(data.getLast());
    String base =
        publicBaseUrl != null
            ? publicBaseUrl + request.getRequestURI()
            : request.getRequestURL().toString();
    UriComponentsBuilder next = UriComponentsBuilder.fromUriString(base);
    request
        .getParameterMap()
        .forEach(
            (name, values) -> {
              if (!name.equals("cursor") && !name.equals("limit")) {
                for (String value : values) {
                  next.queryParam(name, value);
                }
              }
            });
    next.queryParam("limit", limit).queryParam("cursor", encode(last));
    return new Page<>(List.copyOf(data), next.encode().build().toUriString());
  }

  static String encode(Key key) {
    String raw =
        key.createdAt().getEpochSecond() + "." + key.createdAt().getNano() + "." + key.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static Key decode(String cursor) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.");
      return new Key(
          Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
          UUID.fromString(parts[2]));
    } catch (RuntimeException e) {
      throw new ValidationException(
          List.of(
              new FieldError(
                  List.of("query", "cursor"),
                  "invalid cursor; use the next URL of the previous page",
                  "value_error.cursor")));
    }
  }
}
