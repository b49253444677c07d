package com.acme.warehouse.jobs.sampledata;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Time helpers shared by the domain generators: delivery calendars and ISO-8601 text. */
final class Times {
  private Times() {}

  static Instant at(LocalDate date) {
    return date.atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  static LocalDate date(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  /** A random instant in [from, to). */
  static Instant between(Rng rng, Instant from, Instant to) {
    long seconds = Duration.between(from, to).getSeconds();
    return from.plusSeconds(seconds <= 1 ? 0 : rng.between(0L, seconds - 1));
  }

  /** A random duration of [minMinutes, maxMinutes] minutes, to the second. */
  static Duration minutes(Rng rng, double minMinutes, double maxMinutes) {
    return Duration.ofSeconds(Math.round(rng.uniform(minMinutes * 60, maxMinutes * 60)));
  }

  static Duration hours(Rng rng, double min, double max) {
    return minutes(rng, min * 60, max * 60);
  }

  static Duration days(Rng rng, double min, double max) {
    return minutes(rng, min * 1440, max * 1440);
  }

  /** {@code 2024-01-05T10:22:33Z}. */
  static String iso(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** {@code 2024-01-05T10:22:33.120Z}: always three fraction digits. */
  static String isoMillis(Instant instant) {
    return MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The same instant written with a UTC offset, e.g. {@code 2024-01-05T11:22:33+01:00}. */
  static String isoWithOffset(Instant instant, int offsetHours) {
    return instant
        .truncatedTo(ChronoUnit.SECONDS)
        .atOffset(ZoneOffset.ofHours(offsetHours))
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  /**
   * Deliveries of new rows: every {@code every} days after the start, each holding what happened in
   * the preceding {@code every} days.
   */
  static List<LocalDate> eventDeliveries(LocalDate start, int days, int every) {
    List<LocalDate> dates = new ArrayList<>();
    for (int k = 1; (long) (k - 1) * every < days; k++) {
      dates.add(start.plusDays((long) k * every));
    }
    return dates;
  }

  /** Full exports: at the start, then every {@code every} days, the last one at the end. */
  static List<LocalDate> exportDeliveries(LocalDate start, int days, int every) {
    List<LocalDate> dates = new ArrayList<>();
    LocalDate end = start.plusDays(days);
    for (int k = 0; ; k++) {
      LocalDate date = start.plusDays((long) k * every);
      if (!date.isBefore(end)) {
        dates.add(end);
        return dates;
      }
      dates.add(date);
    }
  }

  /** Index of the event delivery holding an instant (instants before the start go first). */
  static int eventDelivery(LocalDate start, int every, Instant instant) {
    long seconds = Duration.between(at(start), instant).getSeconds();
    return (int) Math.max(0, seconds / (every * 86_400L));
  }
}
