package com.acme.warehouse.jobs.mentoring.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.keys.SurrogateKeys;
import com.acme.warehouse.common.silver.ScopedReplace;
import com.acme.warehouse.common.silver.SilverTables;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.common.spark.ScalaSeqs;
import com.acme.warehouse.jobs.mentoring.MentoringSettings;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code mentoring-silver-sessions}: sessions and bookings rebuilt from the events, for the
 * user-mentor pairs that new events touched (so a session whose end arrives a day late is
 * completed, and nothing else is recomputed).
 *
 * <ul>
 *   <li>A session starts at a {@code session_started}; it ends at the first {@code session_ended}
 *       of the same user and mentor before that pair's next start. Bounding each start by the next
 *       one means one missing end affects one session only: it gets the configured default duration
 *       and {@code is_duration_estimated}. An end that belongs to no start goes to the quarantine.
 *   <li>A booking is a {@code booking_requested} with what follows it for the same pair before the
 *       next request: the confirmation (and the start it confirmed), a cancellation (and by whom),
 *       the session it led to. Whether an unattended confirmed booking was a no-show depends on how
 *       far the data reaches, so gold decides it.
 * </ul>
 */
public final class SilverSessionsJob implements Job {
  private static final List<String> PAIR = List.of("user_id", "mentor_id");

  private final MentoringSettings settings;

  private SilverSessionsJob(MentoringSettings settings) {
    this.settings = settings;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-silver-sessions")
        .layer(Layer.SILVER)
        .domain(MentoringTables.DOMAIN)
        .inputs(List.of(MentoringTables.EVENTS))
        .outputs(
            List.of(
                MentoringTables.SESSIONS,
                MentoringTables.BOOKINGS,
                MentoringTables.SESSIONS_QUARANTINE))
        .description("sessions (start/end paired) and bookings, per user-mentor pair")
        .factory((config, app) -> new SilverSessionsJob(MentoringSettings.from(config)))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    Watermark before = Watermark.parse(context.previousWatermark());
    if (context.fullRefresh()) {
      SilverTables.reset(spark, context.location(MentoringTables.SESSIONS));
      SilverTables.reset(spark, context.location(MentoringTables.BOOKINGS));
      SilverTables.reset(spark, context.location(MentoringTables.SESSIONS_QUARANTINE));
    }
    Dataset<Row> events = context.read(MentoringTables.EVENTS);
    Dataset<Row> fresh =
        before.get("ingested").isEmpty()
            ? events
            : events.where(
                unix_micros(col("_ingested_at")).gt(Long.parseLong(before.get("ingested").get())));
    Dataset<Row> pairs =
        fresh.select("user_id", "mentor_id").distinct().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> touched =
          events
              .join(pairs, ScalaSeqs.of(PAIR), "left_semi")
              .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> sessions = sessions(touched, settings.defaultSessionMinutes);
      Dataset<Row> orphanEnds = orphanEnds(touched, sessions);
      Dataset<Row> bookings = bookings(touched);
      ScopedReplace.Counts s =
          replacePairs(context, sessions, pairs, MentoringTables.SESSIONS, "session_key");
      ScopedReplace.Counts b =
          replacePairs(context, bookings, pairs, MentoringTables.BOOKINGS, "booking_key");
      ScopedReplace.Counts q =
          replacePairs(context, orphanEnds, pairs, MentoringTables.SESSIONS_QUARANTINE, "event_id");
      long read = touched.count();
      touched.unpersist();
      Watermark after = before.with("ingested", newestIngested(fresh, before.get("ingested")));
      return JobResult.builder()
          .rowsRead(read)
          .rowsWritten(s.upserted + b.upserted)
          .rowsQuarantined(q.upserted)
          .watermarkBefore(before.orNull())
          .watermarkAfter(after.orNull())
          .detail("pairs_recomputed", pairs.count())
          .detail("sessions", s.upserted)
          .detail("bookings", b.upserted)
          .detail("orphan_session_ends", q.upserted)
          .build();
    } finally {
      pairs.unpersist();
    }
  }

  /** The table's rows of the touched user-mentor pairs replaced by these. */
  private static ScopedReplace.Counts replacePairs(
      JobContext context, Dataset<Row> rows, Dataset<Row> pairs, TableId table, String key) {
    return ScopedReplace.apply(
        context.spark(), rows, pairs, context.location(table), List.of(key), PAIR);
  }

  /** The newest ingestion time (epoch micros) among the fresh events, or the old watermark. */
  private static Optional<String> newestIngested(Dataset<Row> fresh, Optional<String> before) {
    Row newest = fresh.agg(max(unix_micros(col("_ingested_at")))).head();
    return newest.isNullAt(0) ? before : Optional.of(Long.toString(newest.getLong(0)));
  }

  /** One row per session_started, ended by the first session_ended before the pair's next start. */
  static Dataset<Row> sessions(Dataset<Row> events, int defaultMinutes) {
    Dataset<Row> starts =
        eachWithNext(events, "session_started", "start_event_id", "started_at", "next_start");
    Dataset<Row> ends =
        events
            .where(col("event_type").equalTo("session_ended"))
            .select(
                col("user_id").as("e_user"),
                col("mentor_id").as("e_mentor"),
                col("event_id").as("end_event_id"),
                col("event_ts").as("ended_ts"));
    Column belongs =
        col("user_id")
            .equalTo(col("e_user"))
            .and(col("mentor_id").equalTo(col("e_mentor")))
            .and(col("ended_ts").geq(col("started_at")))
            .and(col("next_start").isNull().or(col("ended_ts").lt(col("next_start"))));
    Dataset<Row> paired =
        starts
            .join(ends, belongs, "left")
            .groupBy("user_id", "mentor_id", "start_event_id", "started_at")
            .agg(
                min("ended_ts").as("ended_ts"),
                min_by(col("end_event_id"), col("ended_ts")).as("end_event_id"));
    Dataset<Row> sessions =
        paired
            .withColumn("is_duration_estimated", col("ended_ts").isNull())
            .withColumn(
                "ended_at",
                when(
                        col("ended_ts").isNull(),
                        col("started_at")
                            .plus(expr("make_interval(0, 0, 0, 0, 0, " + defaultMinutes + ", 0)")))
                    .otherwise(col("ended_ts")))
            .withColumn(
                "duration_minutes",
                unix_micros(col("ended_at"))
                    .minus(unix_micros(col("started_at")))
                    .divide(60_000_000.0))
            .drop("ended_ts");
    return sessions
        .withColumn(
            "session_key", SurrogateKeys.key(sessions, "user_id", "mentor_id", "started_at"))
        .select(
            "session_key",
            "user_id",
            "mentor_id",
            "started_at",
            "ended_at",
            "duration_minutes",
            "is_duration_estimated",
            "start_event_id",
            "end_event_id");
  }

  /** session_ended events that close no session: before any start, or a second end of one. */
  static Dataset<Row> orphanEnds(Dataset<Row> events, Dataset<Row> sessions) {
    Dataset<Row> used =
        sessions.where(col("end_event_id").isNotNull()).select(col("end_event_id").as("event_id"));
    return events
        .where(col("event_type").equalTo("session_ended"))
        .join(used, ScalaSeqs.of(List.of("event_id")), "left_anti")
        .select(
            col("event_id"),
            col("user_id"),
            col("mentor_id"),
            col("event_ts"),
            lit("session_ended_without_start").as("rule"),
            lit("session_ended with no session_started of the same user and mentor before it (or a second end)")
                .as("reason"),
            col("_source_file"),
            col("_line_number"));
  }

  /** One row per booking_requested, with what followed it for the pair before the next request. */
  static Dataset<Row> bookings(Dataset<Row> events) {
    Dataset<Row> requests = requests(events);
    Dataset<Row> followUps = followUps(events);
    Column belongs =
        col("user_id")
            .equalTo(col("f_user"))
            .and(col("mentor_id").equalTo(col("f_mentor")))
            .and(col("f_ts").geq(col("requested_at")))
            .and(col("next_request").isNull().or(col("f_ts").lt(col("next_request"))));
    Column confirmed = col("f_type").equalTo("booking_confirmed");
    Column cancelled = col("f_type").equalTo("booking_cancelled");
    Column started = col("f_type").equalTo("session_started");
    Dataset<Row> bookings =
        requests
            .join(followUps, belongs, "left")
            .groupBy(
                "user_id",
                "mentor_id",
                "request_event_id",
                "requested_at",
                "requested_duration_minutes")
            .agg(
                min(when(confirmed, col("f_ts"))).as("confirmed_at"),
                min_by(when(confirmed, col("f_start")), when(confirmed, col("f_ts")))
                    .as("confirmed_start_time"),
                min(when(cancelled, col("f_ts"))).as("cancelled_at"),
                min_by(when(cancelled, col("f_by")), when(cancelled, col("f_ts")))
                    .as("cancelled_by"),
                min(when(started, col("f_ts"))).as("session_started_at"));
    return bookings
        .withColumn(
            "booking_key", SurrogateKeys.key(bookings, "user_id", "mentor_id", "requested_at"))
        .select(
            "booking_key",
            "user_id",
            "mentor_id",
            "requested_at",
            "requested_duration_minutes",
            "confirmed_at",
            "confirmed_start_time",
            "cancelled_at",
            "cancelled_by",
            "session_started_at");
  }

  /** Each booking request with the pair's next request (the end of what belongs to it). */
  private static Dataset<Row> requests(Dataset<Row> events) {
    return eachWithNext(
        events,
        "booking_requested",
        "request_event_id",
        "requested_at",
        "next_request",
        col("requested_duration_minutes"));
  }

  /**
   * A pair's events of one type, each with the time of the pair's next one: what follows an event
   * belongs to it until then. Ties in time are ordered by event id.
   */
  private static Dataset<Row> eachWithNext(
      Dataset<Row> events, String type, String id, String at, String next, Column... extra) {
    List<Column> columns = new ArrayList<>();
    columns.add(col("user_id"));
    columns.add(col("mentor_id"));
    columns.add(col("event_id").as(id));
    columns.add(col("event_ts").as(at));
    columns.addAll(List.of(extra));
    return events
        .where(col("event_type").equalTo(type))
        .select(columns.toArray(new Column[0]))
        .withColumn(
            next,
            lead(col(at), 1).over(Window.partitionBy("user_id", "mentor_id").orderBy(at, id)));
  }

  /** The events that can follow a request: confirmations, cancellations, session starts. */
  private static Dataset<Row> followUps(Dataset<Row> events) {
    return events
        .where(col("event_type").isin("booking_confirmed", "booking_cancelled", "session_started"))
        .select(
            col("user_id").as("f_user"),
            col("mentor_id").as("f_mentor"),
            col("event_type").as("f_type"),
            col("event_ts").as("f_ts"),
            col("confirmed_start_time").as("f_start"),
            col("cancelled_by").as("f_by"));
  }
}
