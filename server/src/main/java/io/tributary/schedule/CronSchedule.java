package io.tributary.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

/** A Quartz cron expression in a time zone: when a connection syncs. */
public final class CronSchedule {

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  /**
   * Enough upcoming runs to see the shortest gap of any realistic schedule without scanning years.
   */
  private static final int GAP_SAMPLE = 1000;

  private final String expression;
  private final ZoneId zone;
  private final Cron cron;

  private CronSchedule(String expression, ZoneId zone, Cron cron) {
    this.expression = expression;
    this.zone = zone;
    this.cron = cron;
  }

  /**
   * @throws InvalidScheduleException naming what is wrong
   */
  public static CronSchedule parse(String expression, String timeZone) {
    ZoneId zone = zone(timeZone);
    try {
      String normalized = quartzDays(expression == null ? "" : expression.trim());
      Cron cron = PARSER.parse(normalized);
      cron.validate();
      return new CronSchedule(normalized, zone, cron);
    } catch (IllegalArgumentException e) {
      throw new InvalidScheduleException(
          "cron_expression", "invalid Quartz cron expression: " + e.getMessage());
    }
  }

  /**
   * Quartz wants {@code ?} in one of day-of-month and day-of-week; older Airbyte examples wrote
   * {@code *} in both ({@code 0 15 2 * * *}), which means "every day" and is read that way.
   */
  private static String quartzDays(String expression) {
    String[] fields = expression.split("\\s+");
    if (fields.length >= 6 && fields[3].equals("*") && fields[5].equals("*")) {
      fields[5] = "?";
      return String.join(" ", fields);
    }
    return expression;
  }

  /** An IANA time zone, UTC when absent. */
  public static ZoneId zone(String timeZone) {
    try {
      return ZoneId.of(timeZone == null || timeZone.isBlank() ? "UTC" : timeZone);
    } catch (DateTimeException e) {
      throw new InvalidScheduleException(
          "cron_time_zone",
          "unknown time zone '" + timeZone + "'; use an IANA name such as Europe/Paris");
    }
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** In English, e.g. "every hour". */
  public String describe() {
    return CronDescriptor.instance(Locale.ENGLISH).describe(cron);
  }

  /**
   * @throws InvalidScheduleException when the times cannot be computed
   */
  public Optional<Instant> nextAfter(Instant time) {
    try {
      return ExecutionTime.forCron(cron)
          .nextExecution(time.atZone(zone))
          .map(ZonedDateTime::toInstant);
    } catch (RuntimeException e) {
      throw uncomputable(e);
    }
  }

  /**
   * The shortest time between two upcoming runs, or empty when it never runs twice.
   *
   * @throws InvalidScheduleException when the times cannot be computed
   */
  public Optional<Duration> shortestInterval(Instant from) {
    try {
      return sampledShortestInterval(from);
    } catch (RuntimeException e) {
      throw uncomputable(e);
    }
  }

  /**
   * cron-utils fails on some valid expressions, e.g. {@code 31W} in a 30-day month (its issue 715):
   * such a schedule is refused like an invalid one rather than failing whoever computes it.
   */
  private static InvalidScheduleException uncomputable(RuntimeException e) {
    return e instanceof InvalidScheduleException invalid
        ? invalid
        : new InvalidScheduleException(
            "cron_expression",
            "the schedule's run times cannot be computed ("
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + ")");
  }

  private Optional<Duration> sampledShortestInterval(Instant from) {
    ExecutionTime times = ExecutionTime.forCron(cron);
    Optional<ZonedDateTime> previous = times.nextExecution(from.atZone(zone));
    Duration shortest = null;
    for (int i = 0; i < GAP_SAMPLE && previous.isPresent(); i++) {
      Optional<ZonedDateTime> next = times.nextExecution(previous.get());
      if (next.isEmpty()) {
        break;
      }
      Duration gap = Duration.between(previous.get(), next.get());
      if (shortest == null || gap.compareTo(shortest) < 0) {
        shortest = gap;
      }
      previous = next;
    }
    return Optional.ofNullable(shortest);
  }

  /** A schedule that cannot be used, with the request field at fault. */
  public static final class InvalidScheduleException extends RuntimeException {
    private final String field;

    InvalidScheduleException(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
