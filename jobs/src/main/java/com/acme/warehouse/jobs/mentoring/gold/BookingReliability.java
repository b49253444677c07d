package com.acme.warehouse.jobs.mentoring.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** {@code booking_reliability_by_tier}: how bookings ended, per mentor tier at request. */
public final class BookingReliability {
  private BookingReliability() {}

  /**
   * Per mentor tier at request: how bookings ended, and the exact median minutes to confirm
   * (interpolated between the two middle values, as {@code percentile_cont}). Pending bookings have
   * not ended yet.
   */
  public static Dataset<Row> byTier(Dataset<Row> bookings) {
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
            // Exact (percentile_approx depends on the order rows are read in: the same facts
            // stored differently, e.g. after an incremental run, gave another median).
            expr("percentile(minutes_to_confirm, 0.5)").as("median_minutes_to_confirm"));
  }

  private static Column share(Column condition) {
    return sum(when(condition, 1).otherwise(0)).divide(count(lit(1)));
  }
}
