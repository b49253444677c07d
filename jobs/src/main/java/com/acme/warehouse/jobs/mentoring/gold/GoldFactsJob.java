package com.acme.warehouse.jobs.mentoring.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.jobs.mentoring.MentoringSettings;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mentoring-gold-facts}: {@code fct_sessions} (one row per session, keyed to the user and
 * mentor versions valid at its start) and {@code fct_bookings} (an accumulating snapshot per
 * booking: requested, confirmed, cancelled or attended, with lead times; keyed to the versions
 * valid at the request). A booking is attended when a session started for it before any
 * cancellation; cancelled when cancelled first. A booking confirmed for a start that lies further
 * in the past than {@code mentoring.no-show-after} (measured from the newest event), with no
 * session and no cancellation, is a no-show; a later one is pending.
 */
public final class GoldFactsJob implements Job {
  private final MentoringSettings settings;

  private GoldFactsJob(MentoringSettings settings) {
    this.settings = settings;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-gold-facts")
        .layer(Layer.GOLD)
        .domain(MentoringTables.DOMAIN)
        .inputs(
            List.of(
                MentoringTables.SESSIONS,
                MentoringTables.BOOKINGS,
                MentoringTables.EVENTS,
                MentoringTables.DIM_USERS,
                MentoringTables.DIM_MENTORS))
        .outputs(List.of(MentoringTables.FCT_SESSIONS, MentoringTables.FCT_BOOKINGS))
        .description("session and booking facts keyed to the dimension versions valid at the time")
        .factory((config, app) -> new GoldFactsJob(MentoringSettings.from(config)))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    Dataset<Row> users =
        spark.read().format("delta").load(context.location(MentoringTables.DIM_USERS));
    Dataset<Row> mentors =
        spark.read().format("delta").load(context.location(MentoringTables.DIM_MENTORS));

    Dataset<Row> sessions =
        spark.read().format("delta").load(context.location(MentoringTables.SESSIONS));
    sessions =
        Dimensions.keyAt(
            sessions, "user_id", col("started_at"), users, "user_id", "user_key", "user_key");
    sessions =
        Dimensions.keyAt(
            sessions,
            "mentor_id",
            col("started_at"),
            mentors,
            "mentor_id",
            "mentor_key",
            "mentor_key");
    Dataset<Row> factSessions =
        sessions.select(
            col("session_key"),
            col("user_key"),
            col("mentor_key"),
            Dimensions.dateKey(to_date(col("started_at"))).as("date_key"),
            col("user_id"),
            col("mentor_id"),
            col("started_at"),
            col("ended_at"),
            col("duration_minutes"),
            col("is_duration_estimated"));

    Row newest =
        spark
            .read()
            .format("delta")
            .load(context.location(MentoringTables.EVENTS))
            .agg(max("event_ts"))
            .head();
    Timestamp horizon = newest.isNullAt(0) ? new Timestamp(0) : newest.getTimestamp(0);
    long noShowMicros = settings.noShowAfter.toNanos() / 1000;
    Dataset<Row> bookings =
        spark.read().format("delta").load(context.location(MentoringTables.BOOKINGS));
    bookings =
        Dimensions.keyAt(
            bookings, "user_id", col("requested_at"), users, "user_id", "user_key", "user_key");
    bookings =
        Dimensions.keyAt(
            bookings,
            "mentor_id",
            col("requested_at"),
            mentors,
            "mentor_id",
            "mentor_key",
            "mentor_key");
    Column startPassed =
        unix_micros(col("confirmed_start_time")).plus(noShowMicros).leq(unix_micros(lit(horizon)));
    Column status =
        when(
                col("session_started_at")
                    .isNotNull()
                    .and(
                        col("cancelled_at")
                            .isNull()
                            .or(col("session_started_at").lt(col("cancelled_at")))),
                lit("attended"))
            .when(col("cancelled_at").isNotNull(), lit("cancelled"))
            .when(col("confirmed_at").isNotNull().and(startPassed), lit("no_show"))
            .when(col("confirmed_at").isNotNull(), lit("pending"))
            .otherwise(lit("requested"));
    Dataset<Row> factBookings =
        bookings.select(
            col("booking_key"),
            col("user_key"),
            col("mentor_key"),
            Dimensions.dateKey(to_date(col("requested_at"))).as("date_key"),
            col("user_id"),
            col("mentor_id"),
            col("requested_at"),
            col("requested_duration_minutes"),
            col("confirmed_at"),
            col("confirmed_start_time"),
            col("cancelled_at"),
            col("cancelled_by"),
            col("session_started_at"),
            status.as("status"),
            minutes(col("requested_at"), col("confirmed_at")).as("minutes_to_confirm"),
            minutes(col("requested_at"), col("confirmed_start_time"))
                .divide(60)
                .as("hours_booked_ahead"),
            minutes(col("requested_at"), col("cancelled_at")).as("minutes_to_cancel"));
    Dimensions.overwrite(factSessions, context.location(MentoringTables.FCT_SESSIONS));
    Dimensions.overwrite(factBookings, context.location(MentoringTables.FCT_BOOKINGS));
    long sessionRows =
        spark.read().format("delta").load(context.location(MentoringTables.FCT_SESSIONS)).count();
    long bookingRows =
        spark.read().format("delta").load(context.location(MentoringTables.FCT_BOOKINGS)).count();
    return JobResult.builder()
        .rowsRead(sessionRows + bookingRows)
        .rowsWritten(sessionRows + bookingRows)
        .detail("fct_sessions", sessionRows)
        .detail("fct_bookings", bookingRows)
        .detail("horizon", horizon.toInstant().toString())
        .build();
  }

  private static Column minutes(Column from, Column to) {
    return unix_micros(to).minus(unix_micros(from)).divide(60_000_000.0);
  }
}
