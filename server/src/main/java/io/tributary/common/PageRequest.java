package io.tributary.common;

import io.tributary.common.ValidationException.FieldError;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

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

  /** Which way a list runs; the cursor continues in the same direction. */
  public enum Order {
    OLDEST_FIRST(">", ""),
    NEWEST_FIRST("<", " desc");

    private final String after;
    private final String direction;

    Order(String after, String direction) {
      this.after = after;
      this.direction = direction;
    }
  }

  /**
   * Ends a query on a table with {@code created_at} and {@code id}: the condition continuing after
   * the cursor's row (the query must already have a {@code where}), the key order and the limit of
   * {@link #fetchSize()} rows. One place for the keyset SQL so every list pages the same way.
   */
  public void appendTo(StringBuilder sql, List<Object> params, Order order) {
    if (after != null) {
      sql.append(" and (created_at, id) ").append(order.after).append(" (?, ?)");
      params.add(Timestamp.from(after.createdAt()));
      params.add(after.id());
    }
    sql.append(" order by created_at")
        .append(order.direction)
        .append(", id")
        .append(order.direction)
        .append(" limit ?");
    params.add(fetchSize());
  }

  /**
   * Cuts the fetched rows to a page and links the next one.
   *
   * @param rows at most {@link #fetchSize()} rows in key order
   * @param links the request's own URL, supplied by the web layer
   */
  public <T> Page<T> page(List<T> rows, Function<T, Key> key, PageLinks links) {
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<T> data = rows.subList(0, limit);
    return new Page<>(List.copyOf(data), links.next(limit, encode(key.apply(data.getLast()))));
  }

  static String encode(Key key) {
    String raw =
        key.createdAt().getEpochSecond() + "." + key.createdAt().getNano() + "." + key.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The span of times a cursor may hold: well inside what PostgreSQL's timestamptz stores. */
  private static final Instant OLDEST = Instant.parse("1970-01-01T00:00:00Z");

  private static final Instant NEWEST = Instant.parse("9999-12-31T23:59:59Z");

  static Key decode(String cursor) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.");
      Instant createdAt = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      // a cursor this server wrote holds a time PostgreSQL stores; no forged one gets further
      if (createdAt.isBefore(OLDEST) || createdAt.isAfter(NEWEST)) {
        throw new IllegalArgumentException("out of range");
      }
      return new Key(createdAt, UUID.fromString(parts[2]));
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
