package com.acme.warehouse.jobs.mentoring.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.spark.DriverRows;
import com.acme.warehouse.common.spark.ScalaSeqs;
import com.acme.warehouse.common.stats.Proportions;
import com.acme.warehouse.jobs.mentoring.MentoringSettings;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import java.io.PrintStream;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;

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
  static final StructType REBOOKING =
      StructType.fromDDL(
          "cohort STRING, tier_group STRING, users BIGINT, rebooked BIGINT, rate DOUBLE, ci_low DOUBLE,"
              + " ci_high DOUBLE, fisher_p_value DOUBLE, compared_with STRING, window_days INT,"
              + " data_until DATE");

  private final MentoringSettings settings;

  private GoldReportsJob(MentoringSettings settings) {
    this.settings = settings;
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
    Dataset<Row> mentors =
        spark
            .read()
            .format("delta")
            .load(context.location(MentoringTables.DIM_MENTORS))
            .select("mentor_key", "tier");
    Dataset<Row> sessions =
        spark
            .read()
            .format("delta")
            .load(context.location(MentoringTables.FCT_SESSIONS))
            .join(mentors, "mentor_key");
    Dataset<Row> bookings =
        spark
            .read()
            .format("delta")
            .load(context.location(MentoringTables.FCT_BOOKINGS))
            .join(mentors, "mentor_key");
    Row last =
        spark
            .read()
            .format("delta")
            .load(context.location(MentoringTables.EVENTS))
            .agg(max("_delivery_date"))
            .head();
    LocalDate dataUntil = last.isNullAt(0) ? LocalDate.EPOCH : last.getDate(0).toLocalDate();
    Timestamp horizon = Timestamp.from(dataUntil.atStartOfDay().toInstant(ZoneOffset.UTC));

    Dataset<Row> firsts = firstSessions(sessions, horizon).persist();
    try {
      List<Row> rebooking = rebooking(spark, firsts, dataUntil);
      Dataset<Row> rebookingFrame = spark.createDataFrame(rebooking, REBOOKING);
      Dataset<Row> intent = intent(firsts, bookings);
      Dataset<Row> reliability = reliability(bookings);
      Dimensions.overwrite(rebookingFrame, context.location(MentoringTables.REBOOKING));
      Dimensions.overwrite(intent, context.location(MentoringTables.INTENT));
      Dimensions.overwrite(reliability, context.location(MentoringTables.RELIABILITY));
      Row excluded =
          firsts
              .agg(
                  sum(when(col("observable").equalTo(false), 1).otherwise(0)),
                  sum(when(col("observable").and(col("tier_group").isNull()), 1).otherwise(0)))
              .head();
      print(
          context.out(),
          rebooking,
          spark
              .read()
              .format("delta")
              .load(context.location(MentoringTables.RELIABILITY))
              .orderBy("tier")
              .takeAsList(20),
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

  /**
   * One row per user with a session: the first session's time, tier and group, whether the window
   * closed before the data ends, and whether a second session started within the window.
   */
  Dataset<Row> firstSessions(Dataset<Row> sessions, Timestamp horizon) {
    long window = settings.rebookWindowDays * 86_400_000_000L;
    Dataset<Row> ordered =
        sessions.withColumn(
            "n",
            row_number().over(Window.partitionBy("user_id").orderBy("started_at", "session_key")));
    Dataset<Row> first =
        ordered
            .where(col("n").equalTo(1))
            .select(col("user_id"), col("started_at").as("first_at"), col("tier").as("first_tier"));
    Dataset<Row> second =
        ordered
            .where(col("n").equalTo(2))
            .select(col("user_id"), col("started_at").as("second_at"));
    Column group = lit(null).cast("string");
    List<String> names = new ArrayList<>(settings.tierGroups.keySet());
    for (int i = names.size() - 1; i >= 0; i--) {
      group =
          when(
                  col("first_tier").isin(settings.tierGroups.get(names.get(i)).toArray()),
                  lit(names.get(i)))
              .otherwise(group);
    }
    return first
        .join(second, ScalaSeqs.of(List.of("user_id")), "left")
        .withColumn("tier_group", group)
        .withColumn("cohort", date_format(trunc(col("first_at"), "month"), "yyyy-MM"))
        .withColumn(
            "observable", unix_micros(col("first_at")).plus(window).leq(unix_micros(lit(horizon))))
        .withColumn(
            "rebooked",
            col("second_at")
                .isNotNull()
                .and(
                    unix_micros(col("second_at")).minus(unix_micros(col("first_at"))).leq(window)));
  }

  /** Counts per (cohort, group) and overall; rates, Wilson intervals and Fisher p-values. */
  List<Row> rebooking(SparkSession spark, Dataset<Row> firsts, LocalDate dataUntil) {
    Dataset<Row> counted = firsts.where(col("observable").and(col("tier_group").isNotNull()));
    List<Row> perCohort =
        DriverRows.atMost(
            counted
                .groupBy("cohort", "tier_group")
                .agg(
                    count(lit(1)).as("users"),
                    sum(when(col("rebooked"), 1).otherwise(0)).as("rebooked")),
            10_000,
            "rebooking cohorts x tier groups");
    List<Row> overall =
        DriverRows.atMost(
            counted
                .groupBy("tier_group")
                .agg(
                    count(lit(1)).as("users"),
                    sum(when(col("rebooked"), 1).otherwise(0)).as("rebooked"))
                .select(lit("all").as("cohort"), col("tier_group"), col("users"), col("rebooked")),
            100,
            "tier groups");
    Map<String, Map<String, long[]>> byCohort = new TreeMap<>();
    for (Row row : concat(overall, perCohort)) {
      byCohort
          .computeIfAbsent(row.getString(0), k -> new LinkedHashMap<>())
          .put(row.getString(1), new long[] {row.getLong(2), row.getLong(3)});
    }
    List<String> groups = new ArrayList<>(settings.tierGroups.keySet());
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, long[]>> cohort : byCohort.entrySet()) {
      long[] a = cohort.getValue().getOrDefault(groups.get(0), new long[2]);
      long[] b = cohort.getValue().getOrDefault(groups.get(1), new long[2]);
      double p = Proportions.fisherTwoSided(a[1], a[0] - a[1], b[1], b[0] - b[1]);
      for (String group : groups) {
        long[] counts = cohort.getValue().getOrDefault(group, new long[2]);
        Proportions.Interval ci = Proportions.wilson(counts[1], counts[0], settings.confidence);
        String other = group.equals(groups.get(0)) ? groups.get(1) : groups.get(0);
        rows.add(
            RowFactory.create(
                cohort.getKey(),
                group,
                counts[0],
                counts[1],
                counts[0] == 0 ? null : (double) counts[1] / counts[0],
                nan(ci.low),
                nan(ci.high),
                groups.indexOf(group) < 2 ? p : null,
                groups.indexOf(group) < 2 ? other : null,
                settings.rebookWindowDays,
                Date.valueOf(dataUntil)));
      }
    }
    return rows;
  }

  /** Of the users counted, who requested another booking within the window, and attended it. */
  Dataset<Row> intent(Dataset<Row> firsts, Dataset<Row> bookings) {
    long window = settings.rebookWindowDays * 86_400_000_000L;
    Dataset<Row> users = firsts.where(col("observable").and(col("tier_group").isNotNull()));
    Dataset<Row> again =
        users
            .join(
                bookings.select(col("user_id").as("b_user"), col("requested_at"), col("status")),
                col("user_id")
                    .equalTo(col("b_user"))
                    .and(col("requested_at").gt(col("first_at")))
                    .and(
                        unix_micros(col("requested_at"))
                            .minus(unix_micros(col("first_at")))
                            .leq(window)),
                "left")
            .groupBy("user_id", "tier_group")
            .agg(
                max(when(col("requested_at").isNotNull(), 1).otherwise(0)).as("booked_again"),
                max(when(col("status").equalTo("attended"), 1).otherwise(0))
                    .as("attended_after_booking"));
    return again
        .groupBy("tier_group")
        .agg(
            count(lit(1)).as("users"),
            sum("booked_again").as("booked_again"),
            sum("attended_after_booking").as("attended_after_booking"))
        .withColumn("booking_intent_rate", col("booked_again").divide(col("users")))
        .withColumn(
            "follow_through_rate",
            when(
                col("booked_again").gt(0),
                col("attended_after_booking").divide(col("booked_again"))))
        .withColumn("window_days", lit(settings.rebookWindowDays));
  }

  /** Per mentor tier at request: how bookings ended. Pending bookings have not ended yet. */
  static Dataset<Row> reliability(Dataset<Row> bookings) {
    Dataset<Row> ended = bookings.where(col("status").notEqual("pending"));
    Column n = count(lit(1));
    return ended
        .groupBy("tier")
        .agg(
            n.as("bookings"),
            share(col("confirmed_at").isNotNull()).as("confirmation_rate"),
            share(col("status").equalTo("cancelled")).as("cancellation_rate"),
            share(col("status").equalTo("cancelled").and(col("cancelled_by").equalTo("user")))
                .as("cancelled_by_user_rate"),
            share(col("status").equalTo("cancelled").and(col("cancelled_by").equalTo("mentor")))
                .as("cancelled_by_mentor_rate"),
            share(col("status").equalTo("no_show")).as("no_show_rate"),
            share(col("status").equalTo("attended")).as("completion_rate"),
            expr("percentile_approx(minutes_to_confirm, 0.5)").as("median_minutes_to_confirm"));
  }

  private static Column share(Column condition) {
    return sum(when(condition, 1).otherwise(0)).divide(count(lit(1)));
  }

  private static Double nan(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static List<Row> concat(List<Row> a, List<Row> b) {
    List<Row> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The answer, as a person would want to read it. */
  void print(
      PrintStream out,
      List<Row> rebooking,
      List<Row> reliability,
      long censored,
      long unknownTier,
      LocalDate dataUntil) {
    List<String> groups = new ArrayList<>(settings.tierGroups.keySet());
    out.printf(Locale.ROOT, "%nDo Top Tier mentors deliver better retention?%n");
    out.printf(
        Locale.ROOT,
        "Users who completed a second session within %d days of their first, by the tier of the%n",
        settings.rebookWindowDays);
    out.printf(Locale.ROOT, "mentor of that first session (data until %s):%n", dataUntil);
    out.printf(
        Locale.ROOT,
        "  %-12s %8s %9s %7s   %s%n",
        "GROUP",
        "USERS",
        "REBOOKED",
        "RATE",
        Math.round(settings.confidence * 100) + "% WILSON INTERVAL");
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
        settings.rebookWindowDays,
        dataUntil,
        unknownTier);
    out.printf(Locale.ROOT, "    mentor is in no tier group (or in no sheet) are left out.%n");
    if (smallest != Long.MAX_VALUE && smallest < 100) {
      out.printf(
          Locale.ROOT,
          "  - The smallest group has %d users: intervals are wide; read the interval, not the rate.%n",
          smallest);
    }
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
