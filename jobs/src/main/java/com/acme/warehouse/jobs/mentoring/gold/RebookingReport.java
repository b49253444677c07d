package com.acme.warehouse.jobs.mentoring.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.spark.DriverRows;
import com.acme.warehouse.common.spark.ScalaSeqs;
import com.acme.warehouse.common.stats.Proportions;
import com.acme.warehouse.jobs.mentoring.MentoringSettings;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;

/**
 * The rebooking window, applied: who had a first session, whether a second one started within
 * {@code mentoring.report.rebook-window-days} of it (the window is inclusive: a second session
 * exactly N days later counts), whether that window had closed when the data ends (a user whose
 * window is still open cannot have rebooked yet and is left out), and per tier group the rate with
 * its Wilson interval and the Fisher exact p-value between the first two groups. Pure functions of
 * Datasets; {@link GoldReportsJob} reads and writes.
 */
public final class RebookingReport {
  /** The rows of {@code rebooking_rate_by_tier}. */
  public static final StructType SCHEMA =
      StructType.fromDDL(
          "cohort STRING, tier_group STRING, users BIGINT, rebooked BIGINT, rate DOUBLE, ci_low DOUBLE,"
              + " ci_high DOUBLE, fisher_p_value DOUBLE, compared_with STRING, window_days INT,"
              + " data_until DATE");

  private final int windowDays;

  /** Group name to the tiers it holds, in config order; the first two are compared. */
  private final Map<String, List<String>> tierGroups;

  private final double confidence;

  public RebookingReport(int windowDays, Map<String, List<String>> tierGroups, double confidence) {
    this.windowDays = windowDays;
    this.tierGroups = new LinkedHashMap<>(tierGroups);
    this.confidence = confidence;
  }

  public static RebookingReport of(MentoringSettings settings) {
    return new RebookingReport(settings.rebookWindowDays, settings.tierGroups, settings.confidence);
  }

  public int windowDays() {
    return windowDays;
  }

  public double confidence() {
    return confidence;
  }

  public List<String> groups() {
    return new ArrayList<>(tierGroups.keySet());
  }

  private long windowMicros() {
    return windowDays * 86_400_000_000L;
  }

  /**
   * One row per user with a session: the first session's time, tier and group, whether the window
   * closed before the data ends, and whether a second session started within the window.
   */
  public Dataset<Row> firstSessions(Dataset<Row> sessions, Timestamp horizon) {
    long window = windowMicros();
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
    List<String> names = new ArrayList<>(tierGroups.keySet());
    for (int i = names.size() - 1; i >= 0; i--) {
      group =
          when(col("first_tier").isin(tierGroups.get(names.get(i)).toArray()), lit(names.get(i)))
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
  public List<Row> rates(Dataset<Row> firsts, LocalDate dataUntil) {
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
    List<String> groups = new ArrayList<>(tierGroups.keySet());
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, long[]>> cohort : byCohort.entrySet()) {
      long[] a = cohort.getValue().getOrDefault(groups.get(0), new long[2]);
      long[] b = cohort.getValue().getOrDefault(groups.get(1), new long[2]);
      double p = Proportions.fisherTwoSided(a[1], a[0] - a[1], b[1], b[0] - b[1]);
      for (String group : groups) {
        long[] counts = cohort.getValue().getOrDefault(group, new long[2]);
        Proportions.Interval ci = Proportions.wilson(counts[1], counts[0], confidence);
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
                windowDays,
                Date.valueOf(dataUntil)));
      }
    }
    return rows;
  }

  /** Of the users counted, who requested another booking within the window, and attended it. */
  public Dataset<Row> intent(Dataset<Row> firsts, Dataset<Row> bookings) {
    long window = windowMicros();
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
        .withColumn("window_days", lit(windowDays));
  }

  private static Double nan(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static List<Row> concat(List<Row> a, List<Row> b) {
    List<Row> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
