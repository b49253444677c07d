package com.acme.warehouse.jobs.mentoring.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.GoldTables;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.jobs.mentoring.MentoringSettings;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mentoring-gold-reports}: the answer to "do Top Tier mentors deliver better retention, and
 * is booking reliable?", as gold tables and as a short printed answer.
 *
 * <ul>
 *   <li>{@code rebooking_rate_by_tier}: per tier group of the mentor of each user's first session
 *       (the tier valid at that session's start), overall and per monthly cohort of first sessions:
 *       users, users who completed a second session within N days, the rate, its Wilson interval,
 *       and the two-sided Fisher exact p-value between the first two groups. Only users whose N-day
 *       window closed before the data ends count (later ones cannot have rebooked yet).
 *   <li>{@code booking_intent_rate}: of those users, who requested another booking within N days,
 *       and how many of them then attended it.
 *   <li>{@code booking_reliability_by_tier}: per mentor tier at request, the share of bookings
 *       confirmed, cancelled (by user, by mentor), no-show and attended.
 * </ul>
 */
public final class GoldReportsJob implements Job {
  private final RebookingReport report;

  private GoldReportsJob(MentoringSettings settings) {
    this.report = RebookingReport.of(settings);
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-gold-reports")
        .layer(Layer.GOLD)
        .domain(MentoringTables.DOMAIN)
        .inputs(
            List.of(
                MentoringTables.FCT_SESSIONS,
                MentoringTables.FCT_BOOKINGS,
                MentoringTables.DIM_MENTORS,
                MentoringTables.EVENTS))
        .outputs(
            List.of(MentoringTables.REBOOKING, MentoringTables.INTENT, MentoringTables.RELIABILITY))
        .description("rebooking rate by tier (Wilson, Fisher), booking intent, booking reliability")
        .factory((config, app) -> new GoldReportsJob(MentoringSettings.from(config)))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    Dataset<Row> mentors = context.read(MentoringTables.DIM_MENTORS).select("mentor_key", "tier");
    Dataset<Row> sessions = context.read(MentoringTables.FCT_SESSIONS).join(mentors, "mentor_key");
    Dataset<Row> bookings = context.read(MentoringTables.FCT_BOOKINGS).join(mentors, "mentor_key");
    Row last = context.read(MentoringTables.EVENTS).agg(max("_delivery_date")).head();
    LocalDate dataUntil = last.isNullAt(0) ? LocalDate.EPOCH : last.getDate(0).toLocalDate();
    Timestamp horizon = Timestamp.from(dataUntil.atStartOfDay().toInstant(ZoneOffset.UTC));

    Dataset<Row> firsts = report.firstSessions(sessions, horizon).persist();
    try {
      List<Row> rebooking = report.rates(firsts, dataUntil);
      Dataset<Row> rebookingFrame = spark.createDataFrame(rebooking, RebookingReport.SCHEMA);
      Dataset<Row> intent = report.intent(firsts, bookings);
      Dataset<Row> reliability = BookingReliability.byTier(bookings);
      GoldTables.replace(rebookingFrame, context.location(MentoringTables.REBOOKING));
      GoldTables.replace(intent, context.location(MentoringTables.INTENT));
      GoldTables.replace(reliability, context.location(MentoringTables.RELIABILITY));
      Row excluded =
          firsts
              .agg(
                  sum(when(col("observable").equalTo(false), 1).otherwise(0)),
                  sum(when(col("observable").and(col("tier_group").isNull()), 1).otherwise(0)))
              .head();
      print(
          context.out(),
          rebooking,
          context.read(MentoringTables.RELIABILITY).orderBy("tier").takeAsList(20),
          excluded.isNullAt(0) ? 0 : excluded.getLong(0),
          excluded.isNullAt(1) ? 0 : excluded.getLong(1),
          dataUntil);
      return JobResult.builder()
          .rowsRead(firsts.count())
          .rowsWritten(rebooking.size())
          .detail("data_until", dataUntil.toString())
          .build();
    } finally {
      firsts.unpersist();
    }
  }

  /** The answer, as a person would want to read it. */
  void print(
      PrintStream out,
      List<Row> rebooking,
      List<Row> reliability,
      long censored,
      long unknownTier,
      LocalDate dataUntil) {
    long smallest = printRates(out, rebooking, dataUntil);
    printCaveats(out, censored, unknownTier, dataUntil, smallest);
    printReliability(out, reliability);
  }

  /**
   * The rebooking rate of each group with its interval, and the two compared groups' difference and
   * Fisher p-value; returns the size of the smaller compared group.
   */
  private long printRates(PrintStream out, List<Row> rebooking, LocalDate dataUntil) {
    List<String> groups = report.groups();
    out.printf(Locale.ROOT, "%nDo Top Tier mentors deliver better retention?%n");
    out.printf(
        Locale.ROOT,
        "Users who completed a second session within %d days of their first, by the tier of the%n",
        report.windowDays());
    out.printf(Locale.ROOT, "mentor of that first session (data until %s):%n", dataUntil);
    out.printf(
        Locale.ROOT,
        "  %-12s %8s %9s %7s   %s%n",
        "GROUP",
        "USERS",
        "REBOOKED",
        "RATE",
        Math.round(report.confidence() * 100) + "% WILSON INTERVAL");
    Double p = null;
    double[] rates = new double[2];
    long smallest = Long.MAX_VALUE;
    for (Row row : rebooking) {
      if (!"all".equals(row.getString(0))) {
        continue;
      }
      long users = row.getLong(2);
      Double rate = row.isNullAt(4) ? null : row.getDouble(4);
      out.printf(
          Locale.ROOT,
          "  %-12s %8d %9d %7s   %s%n",
          row.getString(1),
          users,
          row.getLong(3),
          rate == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * rate),
          row.isNullAt(5)
              ? "-"
              : String.format(
                  Locale.ROOT, "[%.1f%%, %.1f%%]", 100 * row.getDouble(5), 100 * row.getDouble(6)));
      int index = groups.indexOf(row.getString(1));
      if (index >= 0 && index < 2) {
        rates[index] = rate == null ? Double.NaN : rate;
        p = row.isNullAt(7) ? p : row.getDouble(7);
        smallest = Math.min(smallest, users);
      }
    }
    if (p != null) {
      out.printf(
          Locale.ROOT,
          "  %s vs %s: %+.1f points; Fisher exact test, two-sided p = %s%n",
          groups.get(0),
          groups.get(1),
          100 * (rates[0] - rates[1]),
          p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p));
    }
    return smallest;
  }

  private void printCaveats(
      PrintStream out, long censored, long unknownTier, LocalDate dataUntil, long smallest) {
    out.printf(Locale.ROOT, "Caveats:%n");
    out.printf(
        Locale.ROOT,
        "  - Each user counts once, for the tier of their first session's mentor; later sessions with%n");
    out.printf(
        Locale.ROOT,
        "    other mentors or tiers are not attributed. This shows association, not cause.%n");
    out.printf(
        Locale.ROOT,
        "  - %d users whose %d-day window had not closed by %s are left out; %d users whose first%n",
        censored,
        report.windowDays(),
        dataUntil,
        unknownTier);
    out.printf(Locale.ROOT, "    mentor is in no tier group (or in no sheet) are left out.%n");
    if (smallest != Long.MAX_VALUE && smallest < 100) {
      out.printf(
          Locale.ROOT,
          "  - The smallest group has %d users: intervals are wide; read the interval, not the rate.%n",
          smallest);
    }
  }

  private static void printReliability(PrintStream out, List<Row> reliability) {
    out.printf(
        Locale.ROOT, "Is booking reliable? Bookings that ended, by mentor tier at request:%n");
    out.printf(
        Locale.ROOT,
        "  %-8s %9s %10s %10s %8s %10s%n",
        "TIER",
        "BOOKINGS",
        "CONFIRMED",
        "CANCELLED",
        "NO-SHOW",
        "ATTENDED");
    for (Row row : reliability) {
      out.printf(
          Locale.ROOT,
          "  %-8s %9d %9.1f%% %9.1f%% %7.1f%% %9.1f%%%n",
          row.getString(0),
          row.getLong(1),
          100 * row.getDouble(2),
          100 * row.getDouble(3),
          100 * row.getDouble(6),
          100 * row.getDouble(7));
    }
    out.println();
  }
}
