package com.acme.warehouse.jobs.sampledata;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Mentoring extracts: a daily-ish full export of users, a hand-kept sheet of mentor tiers and a
 * stream of booking events, with the defects of DOMAINS.md planted at configured rates.
 *
 * <p>Behaviour has a known ground truth. Each user books until a first session happens; then, with
 * the configured probability for the tier of that session's mentor (the tier valid at the session's
 * start), the user completes a second session within the rebooking window, and otherwise does not
 * (though some come back later). {@code _truth.json} records the realised counts per tier for users
 * whose window closed before the data ends.
 */
final class MentoringSampleData {
  static final String DOMAIN = "mentoring";
  private static final List<String> TIERS = List.of("Gold", "Silver", "Bronze");
  private static final double[] TIER_WEIGHTS = {0.25, 0.40, 0.35};
  private static final List<String> FIRST_NAMES =
      List.of(
          "Ana", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kira",
          "Liam", "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara");
  private static final List<String> LAST_NAMES =
      List.of(
          "Alvarez",
          "Brown",
          "Chen",
          "Dubois",
          "Evans",
          "Fischer",
          "Garcia",
          "Haddad",
          "Ivanova",
          "Jensen",
          "Kowalski",
          "Lopez",
          "Martin",
          "Nakamura",
          "Okafor",
          "Petrov",
          "Rossi",
          "Silva",
          "Tanaka",
          "Weber");
  private static final List<Integer> DURATIONS = List.of(30, 45, 60, 90);
  private static final long FIRST_USER_ID = 2_147_483_000L; // ids cross 2^31 early on
  private static final String DEFECTS = "defects";

  private final SampleDataSettings settings;
  private final SampleDataSettings.Mentoring cfg;
  private final RawOutput out;
  private final Truth truth;
  private final LocalDate start;
  private final Instant startAt;
  private final Instant endAt;
  private final List<Mentor> mentors = new ArrayList<>();
  private long eventCounter;

  MentoringSampleData(SampleDataSettings settings, RawOutput out) {
    this.settings = settings;
    this.cfg = settings.mentoring;
    this.out = out;
    this.truth = new Truth(DOMAIN, settings.seed, settings.scale);
    this.start = cfg.period.start;
    this.startAt = Times.at(start);
    this.endAt = Times.at(cfg.period.end());
    truth.put("start", start.toString());
    truth.put("end", cfg.period.end().toString());
    truth.declare(
        DEFECTS,
        "duplicate_user_rows",
        "user_id_as_string",
        "mentor_id_noise_in_events",
        "mentor_id_noise_in_sheet",
        "tier_noise",
        "status_noise",
        "tier_changes",
        "missing_session_ended",
        "duplicate_events",
        "late_events",
        "malformed_json_lines",
        "orphan_users",
        "orphan_user_events",
        "orphan_mentors",
        "orphan_mentor_events",
        "deleted_users",
        "timestamps_with_offset");
    truth.declare(
        "entities",
        "users",
        "users_exported",
        "users_never_booking",
        "mentors",
        "mentors_in_sheet",
        "bookings",
        "sessions",
        "cancelled_bookings",
        "no_show_bookings",
        "events");
  }

  Truth generate() {
    createMentors();
    List<LocalDate> exportDates =
        Times.exportDeliveries(start, cfg.period.days, cfg.period.exportDeliveryDays);
    List<LocalDate> eventDates =
        Times.eventDeliveries(start, cfg.period.days, cfg.period.eventDeliveryDays);
    try (Deliveries users =
            Deliveries.fixedName(
                out,
                DOMAIN + "/users",
                exportDates,
                "users_db_export.csv",
                "user_id,company_id,email,signup_date,status,updated_at");
        Deliveries events =
            Deliveries.parts(
                out,
                DOMAIN + "/booking_events",
                eventDates,
                "events",
                "json",
                settings.maxLinesPerFile)) {
      long userCount = settings.count(cfg.usersPerScale);
      long companies = Math.max(5, userCount / 50);
      for (long i = 0; i < userCount; i++) {
        new UserLife(i, companies).write(users, events);
      }
      truth.section("entities").put("users", userCount);
      files("users", users);
      files("booking_events", events);
    }
    writeSheet(exportDates);
    return truth;
  }

  private void files(String source, Deliveries deliveries) {
    Map<String, Object> node = truth.section("files", source);
    node.put("deliveries", deliveries.count());
    node.put("files", deliveries.files());
    node.put("rows", deliveries.lines());
  }

  // ---------------------------------------------------------------- mentors

  /** A mentor and the tiers it had, each effective from a date. */
  private static final class Mentor {
    final String id;
    final String name;
    final boolean orphan;
    final List<LocalDate> from = new ArrayList<>();
    final List<String> tiers = new ArrayList<>();
    final List<String> rates = new ArrayList<>();

    Mentor(String id, String name, boolean orphan) {
      this.id = id;
      this.name = name;
      this.orphan = orphan;
    }

    /** The version valid on a date, or -1 before the first. */
    int versionAt(LocalDate date) {
      int version = -1;
      for (int v = 0; v < from.size(); v++) {
        if (!from.get(v).isAfter(date)) {
          version = v;
        }
      }
      return version;
    }

    String tierAt(Instant instant) {
      int version = versionAt(Times.date(instant));
      return version < 0 ? null : tiers.get(version);
    }
  }

  private void createMentors() {
    Rng rng = Rng.of(settings.seed, "mentoring.mentors");
    long count = Math.max(3, settings.count(cfg.mentorsPerScale));
    long orphans = Shares.atLeastOne(count, cfg.orphanMentorRate);
    long changes = Shares.atLeastOne(count, cfg.tierChangeRate);
    for (int i = 0; i < count; i++) {
      boolean orphan = Shares.spread(i, count, orphans);
      Mentor mentor =
          new Mentor(
              String.format("MNT-%05d", i + 1),
              rng.pick(FIRST_NAMES) + " " + rng.pick(LAST_NAMES),
              orphan);
      String tier = rng.pick(TIERS, TIER_WEIGHTS);
      mentor.from.add(LocalDate.of(2023, 1, 1).plusDays(rng.between(0, 364)));
      mentor.tiers.add(tier);
      mentor.rates.add(rate(rng, tier));
      if (Shares.spread((i + count / 2) % count, count, changes)) {
        String next = tier;
        while (next.equals(tier)) {
          next = rng.pick(TIERS);
        }
        mentor.from.add(start.plusDays(rng.between(7, cfg.period.days - 7)));
        mentor.tiers.add(next);
        mentor.rates.add(rate(rng, next));
        if (!orphan) {
          truth.increment(DEFECTS, "tier_changes");
        }
      }
      mentors.add(mentor);
    }
    truth.section("entities").put("mentors", (long) mentors.size());
    truth
        .section("entities")
        .put("mentors_in_sheet", mentors.stream().filter(m -> !m.orphan).count());
    truth.section(DEFECTS).put("orphan_mentors", mentors.stream().filter(m -> m.orphan).count());
  }

  private static String rate(Rng rng, String tier) {
    int[] range =
        tier.equals("Gold")
            ? new int[] {120, 200}
            : tier.equals("Silver") ? new int[] {80, 120} : new int[] {50, 80};
    return String.format(
        Locale.ROOT, "%d.%02d", rng.between(range[0], range[1] - 1), rng.between(0, 3) * 25);
  }

  private void writeSheet(List<LocalDate> exportDates) {
    Rng rng = Rng.of(settings.seed, "mentoring.sheet");
    try (Deliveries sheet =
        Deliveries.fixedName(
            out,
            DOMAIN + "/mentors",
            exportDates,
            "mentor_tiers.csv",
            "mentor_id,mentor_name,tier,hourly_rate,effective_from")) {
      for (int d = 0; d < exportDates.size(); d++) {
        for (Mentor mentor : mentors) {
          int version = mentor.versionAt(exportDates.get(d));
          if (mentor.orphan || version < 0) {
            continue;
          }
          String id = mentor.id;
          if (rng.chance(cfg.noiseRate)) {
            id = noisy(rng, id);
            truth.increment(DEFECTS, "mentor_id_noise_in_sheet");
          }
          String tier = mentor.tiers.get(version);
          if (rng.chance(cfg.noiseRate)) {
            tier = noisy(rng, tier);
            truth.increment(DEFECTS, "tier_noise");
          }
          sheet.write(
              d,
              Csv.line(
                  id,
                  mentor.name,
                  tier,
                  mentor.rates.get(version),
                  mentor.from.get(version).toString()));
        }
      }
      files("mentors", sheet);
    }
  }

  /** Case and whitespace noise that trimming and canonical case must undo; never a no-op. */
  private static String noisy(Rng rng, String value) {
    String otherCase =
        value.equals(value.toUpperCase(Locale.ROOT))
            ? value.toLowerCase(Locale.ROOT)
            : value.toUpperCase(Locale.ROOT);
    switch (rng.between(0, 3)) {
      case 0:
        return otherCase;
      case 1:
        return " " + value;
      case 2:
        return value + "  ";
      default:
        return " " + otherCase + " ";
    }
  }

  // ---------------------------------------------------------------- users and their bookings

  private enum Outcome {
    ATTENDED,
    CANCELLED,
    NO_SHOW
  }

  /** One booking's times; {@code resolved} is when its outcome was known. */
  private static final class Booking {
    Outcome outcome;
    // Scheduled start; for an attended booking, when its session actually started (what the
    // session_started event says, so the truth measures the window as the pipeline must).
    Instant sessionStart;
    Instant resolved;
  }

  /** One user's whole life in the data: profile, status history, bookings and their events. */
  private final class UserLife {
    final long userId;
    final Rng rng;
    final boolean orphan;
    final long company;
    final Instant signup;
    Instant firstRequest;
    Instant lastActivity;
    final List<String> events = new ArrayList<>();
    final List<Instant> eventTimes = new ArrayList<>();

    UserLife(long index, long companies) {
      this.userId = FIRST_USER_ID + 3 * index;
      this.rng = Rng.of(settings.seed ^ Rng.mix(index), "mentoring.user");
      this.orphan = rng.chance(cfg.orphanUserRate);
      this.company = rng.between(1L, companies);
      boolean books = !rng.chance(cfg.neverBookShare);
      if (books) {
        firstRequest = Times.between(rng, startAt, endAt.minus(Duration.ofDays(1)));
        signup = firstRequest.minus(Times.days(rng, 0, 60));
      } else {
        signup =
            Times.between(rng, startAt.minus(Duration.ofDays(60)), endAt.minus(Duration.ofDays(1)));
        truth.increment("entities", "users_never_booking");
      }
      lastActivity = firstRequest == null ? signup : firstRequest;
    }

    void write(Deliveries users, Deliveries deliveries) {
      if (firstRequest != null) {
        behave();
      }
      writeExports(users);
      for (int e = 0; e < events.size(); e++) {
        emit(deliveries, eventTimes.get(e), events.get(e));
      }
    }

    private void behave() {
      Mentor mentor = rng.pick(mentors);
      Instant cursor = firstRequest;
      Booking first = null;
      while (cursor.isBefore(endAt)) {
        Booking booking = book(cursor, mentor, null, 1, 5);
        if (booking.outcome == Outcome.ATTENDED) {
          first = booking;
          break;
        }
        cursor = booking.resolved.plus(Times.hours(rng, 6, 96));
        if (rng.chance(0.3)) {
          mentor = rng.pick(mentors);
        }
      }
      if (first == null) {
        return;
      }
      Instant s1 = first.sessionStart;
      String tier = mentor.orphan ? null : mentor.tierAt(s1);
      double p = tier == null ? cfg.unknownTierRebookProbability : cfg.rebookProbability.get(tier);
      boolean rebook = rng.chance(p);
      Instant window = s1.plus(Duration.ofDays(cfg.rebookWindowDays));
      if (!window.isAfter(endAt)) {
        String group = tier == null ? "unknown" : tier;
        Map<String, Object> node = truth.section("ground_truth", "first_session_tier", group);
        node.merge("observable_users", 1L, (a, b) -> (Long) a + (Long) b);
        node.merge("rebooked", rebook ? 1L : 0L, (a, b) -> (Long) a + (Long) b);
      }
      cursor = first.resolved.plus(Times.hours(rng, 12, 72));
      Booking last = first;
      if (rebook) {
        // Bounded so that the second session starts well inside the window (>= 14 days).
        if (rng.chance(0.2)) {
          Booking failed = book(cursor, next(mentor), failure(), 1, 3);
          cursor = failed.resolved.plus(Times.hours(rng, 6, 48));
        }
        last = book(cursor, next(mentor), Outcome.ATTENDED, 1, 4);
      } else {
        if (rng.chance(0.15)) {
          last = book(cursor, next(mentor), failure(), 1, 3);
        }
        if (!rng.chance(cfg.laterReturnProbability)) {
          return;
        }
        cursor = window.plus(Times.days(rng, 1, 60));
        last = book(cursor, next(mentor), Outcome.ATTENDED, 1, 5);
      }
      while (rng.chance(cfg.moreSessionsProbability) && last.resolved.isBefore(endAt)) {
        last = book(last.resolved.plus(Times.days(rng, 1, 40)), next(mentor), null, 1, 5);
      }
    }

    private Mentor next(Mentor current) {
      return rng.chance(0.7) ? current : rng.pick(mentors);
    }

    private Outcome failure() {
      return rng.chance(0.6) ? Outcome.CANCELLED : Outcome.NO_SHOW;
    }

    /** Events of one booking requested at {@code request}; outcome drawn unless forced. */
    private Booking book(
        Instant request, Mentor mentor, Outcome forced, double minLeadDays, double maxLeadDays) {
      Booking booking = new Booking();
      int duration = rng.pick(DURATIONS);
      Instant confirmAt = request.plus(Times.minutes(rng, 5, 1200));
      Instant sessionStart = request.plus(Times.days(rng, minLeadDays, maxLeadDays));
      if (!sessionStart.isAfter(confirmAt.plus(Duration.ofHours(1)))) {
        sessionStart = confirmAt.plus(Duration.ofHours(2));
      }
      Outcome outcome = forced == null ? drawOutcome() : forced;
      booking.outcome = outcome;
      booking.sessionStart = sessionStart;
      truth.increment("entities", "bookings");
      add(request, "booking_requested", mentor, e -> e.num("requested_duration_minutes", duration));
      boolean cancelBeforeConfirm = outcome == Outcome.CANCELLED && rng.chance(0.4);
      if (cancelBeforeConfirm) {
        Instant cancelAt = request.plus(Duration.between(request, confirmAt).dividedBy(2));
        add(cancelAt, "booking_cancelled", mentor, e -> e.str("cancelled_by", "user"));
        booking.resolved = cancelAt;
      } else {
        Instant confirmedStart = sessionStart;
        add(
            confirmAt,
            "booking_confirmed",
            mentor,
            e -> e.str("confirmed_start_time", Times.iso(confirmedStart)));
        if (outcome == Outcome.CANCELLED) {
          Instant cancelAt =
              Times.between(rng, confirmAt.plusSeconds(600), sessionStart.minusSeconds(1800));
          String by = rng.chance(0.7) ? "user" : "mentor";
          add(cancelAt, "booking_cancelled", mentor, e -> e.str("cancelled_by", by));
          booking.resolved = cancelAt;
        } else if (outcome == Outcome.NO_SHOW) {
          booking.resolved = sessionStart.plus(Duration.ofHours(1));
        } else {
          attend(booking, mentor, duration);
        }
      }
      if (booking.resolved.isBefore(endAt)) {
        if (outcome == Outcome.CANCELLED) {
          truth.increment("entities", "cancelled_bookings");
        } else if (outcome == Outcome.NO_SHOW) {
          truth.increment("entities", "no_show_bookings");
        }
      }
      lastActivity = booking.resolved.isAfter(lastActivity) ? booking.resolved : lastActivity;
      return booking;
    }

    private Outcome drawOutcome() {
      double x = rng.nextDouble();
      return x < cfg.cancelProbability
          ? Outcome.CANCELLED
          : x < cfg.cancelProbability + cfg.noShowProbability ? Outcome.NO_SHOW : Outcome.ATTENDED;
    }

    /** The session took place: it starts a little late and may lose its end event. */
    private void attend(Booking booking, Mentor mentor, int duration) {
      Instant started = booking.sessionStart.plus(Times.minutes(rng, 0, 10));
      booking.sessionStart = started;
      Instant ended = started.plus(Times.minutes(rng, duration - 5, duration + 10));
      booking.resolved = ended;
      if (ended.isBefore(endAt)) {
        truth.increment("entities", "sessions");
        add(started, "session_started", mentor, e -> e);
        if (rng.chance(cfg.missingSessionEndRate)) {
          truth.increment(DEFECTS, "missing_session_ended");
        } else {
          add(ended, "session_ended", mentor, e -> e);
        }
      }
    }

    /**
     * Records one event, unless it falls after the end of the data (it was never delivered): {@code
     * extra} adds the fields only its type has.
     */
    private void add(Instant at, String type, Mentor mentor, UnaryOperator<JsonLine> extra) {
      if (!at.isBefore(endAt)) {
        return;
      }
      JsonLine json =
          new JsonLine()
              .str(
                  "event_id",
                  String.format("evt-%016x", Rng.mix(settings.seed * 31 + eventCounter++)))
              .str("event_type", type);
      if (rng.chance(cfg.userIdAsStringRate)) {
        json.str("user_id", Long.toString(userId));
        truth.increment(DEFECTS, "user_id_as_string");
      } else {
        json.num("user_id", userId);
      }
      String mentorId = mentor.id;
      if (rng.chance(cfg.noiseRate)) {
        mentorId = noisy(rng, mentorId);
        truth.increment(DEFECTS, "mentor_id_noise_in_events");
      }
      json.str("mentor_id", mentorId).str("timestamp", Times.iso(at));
      events.add(extra.apply(json).toString());
      eventTimes.add(at);
      truth.increment("entities", "events");
      if (mentor.orphan) {
        truth.increment(DEFECTS, "orphan_mentor_events");
      }
      if (orphan) {
        truth.increment(DEFECTS, "orphan_user_events");
      }
    }

    /** Writes an event to its delivery, planting late, duplicate and malformed copies. */
    private void emit(Deliveries deliveries, Instant at, String json) {
      int last = deliveries.count() - 1;
      int delivery = Math.min(last, Times.eventDelivery(start, cfg.period.eventDeliveryDays, at));
      if (delivery < last && rng.chance(cfg.lateEventRate)) {
        delivery = Math.min(last, delivery + rng.between(1, 2));
        truth.increment(DEFECTS, "late_events");
      }
      deliveries.write(delivery, json);
      if (rng.chance(cfg.malformedLineRate)) {
        // A corrupt re-send: the object cut short, so it can never parse.
        deliveries.write(delivery, json.substring(0, rng.between(1, json.length() - 2)));
        truth.increment(DEFECTS, "malformed_json_lines");
      }
      if (rng.chance(cfg.duplicateEventRate)) {
        deliveries.write(Math.min(last, delivery + rng.between(0, 1)), json);
        truth.increment(DEFECTS, "duplicate_events");
      }
    }

    private void writeExports(Deliveries users) {
      Instant churnAt = lastActivity.plus(Duration.ofDays(45));
      Instant deletedAt =
          rng.chance(cfg.deletedUserRate) ? lastActivity.plus(Times.days(rng, 10, 40)) : null;
      if (orphan) {
        if (!events.isEmpty()) {
          truth.increment(DEFECTS, "orphan_users");
        }
        return;
      }
      boolean exported = false;
      boolean vanished = false;
      for (int d = 0; d < users.count(); d++) {
        Instant asOf = Times.at(users.dates().get(d));
        if (!signup.isBefore(asOf)) {
          continue;
        }
        if (deletedAt != null && !deletedAt.isAfter(asOf)) {
          vanished = exported;
          continue;
        }
        exported = true;
        String status = "invited";
        Instant changed = signup;
        if (firstRequest != null && firstRequest.isBefore(asOf)) {
          status = "active";
          changed = firstRequest;
        }
        if (firstRequest != null && churnAt.isBefore(asOf)) {
          status = "churned";
          changed = churnAt;
        }
        if (rng.chance(cfg.noiseRate)) {
          status = noisy(rng, status);
          truth.increment(DEFECTS, "status_noise");
        }
        String updatedAt = Times.iso(changed);
        if (rng.chance(cfg.timestampOffsetRate)) {
          updatedAt = Times.isoWithOffset(changed, rng.pick(List.of(-5, -3, 1, 2, 9)));
          truth.increment(DEFECTS, "timestamps_with_offset");
        }
        String row =
            Csv.line(
                Long.toString(userId),
                Long.toString(company),
                "user" + userId + "@example.com",
                Times.date(signup).toString(),
                status,
                updatedAt);
        users.write(d, row);
        if (rng.chance(cfg.duplicateUserRowRate)) {
          users.write(d, row);
          truth.increment(DEFECTS, "duplicate_user_rows");
        }
      }
      if (exported) {
        truth.increment("entities", "users_exported");
      }
      if (vanished) {
        truth.increment(DEFECTS, "deleted_users");
      }
    }
  }
}
