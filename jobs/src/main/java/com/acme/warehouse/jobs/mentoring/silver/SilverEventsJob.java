package com.acme.warehouse.jobs.mentoring.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.silver.Cast;
import com.acme.warehouse.common.silver.Quarantine;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.bronze.BronzeTables;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import com.acme.warehouse.jobs.silver.SilverSupport;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mentoring-silver-booking-events}: booking events typed ({@code user_id} BIGINT whether it
 * came as a number or a string, {@code mentor_id} trimmed and upper-case, times as UTC instants),
 * deduplicated by {@code event_id} (the first delivery wins; a re-delivered event adds nothing),
 * appended whatever their lateness: each event keeps its own timestamp. Partitioned by month: a
 * re-delivered event has its original timestamp, so the check for its id reads one month. Malformed
 * and untypable events go to the quarantine with the rule they broke.
 */
public final class SilverEventsJob implements Job {
  static final List<String> TYPES =
      List.of(
          "booking_requested",
          "booking_confirmed",
          "booking_cancelled",
          "session_started",
          "session_ended");

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-silver-booking-events")
        .layer(Layer.SILVER)
        .domain(MentoringTables.DOMAIN)
        .inputs(List.of(MentoringTables.BRONZE_EVENTS))
        .outputs(List.of(MentoringTables.EVENTS, MentoringTables.EVENTS_QUARANTINE))
        .description("typed, deduplicated booking events")
        .factory((config, app) -> new SilverEventsJob())
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    String target = context.location(MentoringTables.EVENTS);
    String quarantine = context.location(MentoringTables.EVENTS_QUARANTINE);
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> bronze =
        SilverSupport.newBronzeRows(
            context,
            MentoringTables.BRONZE_EVENTS,
            before,
            MentoringTables.EVENTS,
            MentoringTables.EVENTS_QUARANTINE);
    try {
      JobResult.Builder result =
          SilverSupport.appendFirstDelivery(
              spark,
              type(bronze),
              "event_id",
              Optional.of("event_date"),
              target,
              quarantine,
              context.runId());
      Watermark after =
          before.with("ingested", BronzeTables.watermarkOf(bronze, before.get("ingested")));
      return result.watermarkBefore(before.orNull()).watermarkAfter(after.orNull()).build();
    } finally {
      bronze.unpersist();
    }
  }

  static Dataset<Row> type(Dataset<Row> bronze) {
    Column type = lower(Cast.text(col("event_type")));
    Column userId = Cast.bigint(col("user_id"));
    Column mentorId = upper(Cast.text(col("mentor_id")));
    Column at = Cast.timestamp(col("timestamp"));
    Column duration = Cast.integer(col("requested_duration_minutes"));
    Column confirmedStart = Cast.timestamp(col("confirmed_start_time"));
    Column badType = type.isNull().or(type.isin(TYPES.toArray()).equalTo(false));
    Column rule =
        when(col("_is_malformed"), lit("malformed_record"))
            .when(Cast.text(col("event_id")).isNull(), lit("event_id_missing"))
            .when(badType, lit("event_type_not_accepted"))
            .when(userId.isNull(), lit("user_id_not_a_number"))
            .when(mentorId.isNull(), lit("mentor_id_missing"))
            .when(at.isNull(), lit("timestamp_not_a_timestamp"))
            .when(
                Cast.failed(col("requested_duration_minutes"), duration),
                lit("duration_not_a_number"))
            .when(
                Cast.failed(col("confirmed_start_time"), confirmedStart),
                lit("confirmed_start_not_a_timestamp"));
    Column reason =
        when(col("_is_malformed"), col("_error"))
            .when(Cast.text(col("event_id")).isNull(), lit("event_id is empty"))
            .when(
                badType,
                concat(lit("event_type '"), col("event_type"), lit("' is not one of " + TYPES)))
            .when(userId.isNull(), Cast.reason("user_id", col("user_id"), "a whole number"))
            .when(mentorId.isNull(), lit("mentor_id is empty"))
            .when(at.isNull(), Cast.reason("timestamp", col("timestamp"), "an ISO-8601 timestamp"))
            .when(
                Cast.failed(col("requested_duration_minutes"), duration),
                Cast.reason(
                    "requested_duration_minutes",
                    col("requested_duration_minutes"),
                    "a whole number"))
            .when(
                Cast.failed(col("confirmed_start_time"), confirmedStart),
                Cast.reason(
                    "confirmed_start_time", col("confirmed_start_time"), "an ISO-8601 timestamp"));
    return bronze.select(
        col("*"),
        Cast.text(col("event_id")).as("_t_event_id"),
        type.as("_t_event_type"),
        userId.as("_t_user_id"),
        mentorId.as("_t_mentor_id"),
        at.as("_t_event_ts"),
        to_date(at).as("_t_event_date"),
        trunc(to_date(at), "month").as("_t_event_month"),
        lower(Cast.text(col("cancelled_by"))).as("_t_cancelled_by"),
        duration.as("_t_requested_duration_minutes"),
        confirmedStart.as("_t_confirmed_start_time"),
        rule.as(Quarantine.RULE),
        reason.as(Quarantine.REASON));
  }
}
