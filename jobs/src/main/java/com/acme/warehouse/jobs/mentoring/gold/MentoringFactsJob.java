package com.acme.warehouse.jobs.mentoring.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.gold.Increment;
import com.acme.warehouse.common.gold.MovedMembers;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.jobs.mentoring.MentoringSettings;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code mentoring-gold-facts}: {@code fct_sessions} (one row per session, keyed to the user and
 * mentor versions valid at its start) and {@code fct_bookings} (an accumulating snapshot per
 * booking: requested, confirmed, cancelled or attended, with lead times; keyed to the versions
 * valid at the request). A booking is attended when a session started for it before any
 * cancellation; cancelled when cancelled first. A booking confirmed for a start that lies further
 * in the past than {@code mentoring.no-show-after} (measured from the newest event), with no
 * session and no cancellation, is a no-show; a later one is pending.
 *
 * <p>Incremental: a run recomputes the sessions and bookings whose silver rows changed since the
 * last run (Delta's change data feed), those of users and mentors whose dimension rows moved that
 * lie at or after the move ({@link MovedMembers}), and the pending bookings (the newest event may
 * have made them no-shows); the first run, {@code --full-refresh} or a gap in a feed rebuilds
 * whole.
 */
public final class MentoringFactsJob implements Job {
  private static final List<TableId> INPUTS =
      List.of(
          MentoringTables.SESSIONS,
          MentoringTables.BOOKINGS,
          MentoringTables.EVENTS,
          MentoringTables.DIM_USERS,
          MentoringTables.DIM_MENTORS);
  private static final List<TableId> OUTPUTS =
      List.of(MentoringTables.FCT_SESSIONS, MentoringTables.FCT_BOOKINGS);

  private final MentoringSettings settings;

  private MentoringFactsJob(MentoringSettings settings) {
    this.settings = settings;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-gold-facts")
        .layer(Layer.GOLD)
        .domain(MentoringTables.DOMAIN)
        .inputs(INPUTS)
        .outputs(OUTPUTS)
        .description("session and booking facts keyed to the dimension versions valid at the time")
        .factory((config, app) -> new MentoringFactsJob(MentoringSettings.from(config)))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    Increment increment = Increment.of(context, INPUTS, OUTPUTS);
    Dataset<Row> users = context.read(MentoringTables.DIM_USERS);
    Dataset<Row> mentors = context.read(MentoringTables.DIM_MENTORS);
    Optional<Dataset<Row>> movedUsers =
        increment.movedMembers(MentoringTables.DIM_USERS, "user_id");
    Optional<Dataset<Row>> movedMentors =
        increment.movedMembers(MentoringTables.DIM_MENTORS, "mentor_id");
    JobResult.Builder result = increment.result();

    Dataset<Row> sessions = context.read(MentoringTables.SESSIONS);
    long written =
        increment.rewrite(
            MentoringTables.FCT_SESSIONS,
            "session_key",
            "started_at",
            sessions,
            Increment.allOf(
                increment.changedKeys(MentoringTables.SESSIONS, "session_key"),
                ofMoved(sessions, "session_key", "user_id", "started_at", movedUsers),
                ofMoved(sessions, "session_key", "mentor_id", "started_at", movedMentors)),
            rows -> sessionFacts(rows, users, mentors),
            result);

    Row newest = context.read(MentoringTables.EVENTS).agg(max("event_ts")).head();
    Timestamp horizon = newest.isNullAt(0) ? new Timestamp(0) : newest.getTimestamp(0);
    long noShowMicros = settings.noShowAfter.toNanos() / 1000;
    Dataset<Row> bookings = context.read(MentoringTables.BOOKINGS);
    Optional<Dataset<Row>> pending =
        increment.whole()
            ? Optional.empty()
            : Optional.of(
                context
                    .read(MentoringTables.FCT_BOOKINGS)
                    .where(col("status").equalTo("pending"))
                    .select("booking_key"));
    written +=
        increment.rewrite(
            MentoringTables.FCT_BOOKINGS,
            "booking_key",
            "requested_at",
            bookings,
            Increment.allOf(
                increment.changedKeys(MentoringTables.BOOKINGS, "booking_key"),
                ofMoved(bookings, "booking_key", "user_id", "requested_at", movedUsers),
                ofMoved(bookings, "booking_key", "mentor_id", "requested_at", movedMentors),
                pending),
            rows -> bookingFacts(rows, users, mentors, horizon, noShowMicros),
            result);
    return result
        .rowsRead(written)
        .rowsWritten(written)
        .detail("horizon", horizon.toInstant().toString())
        .build();
  }

  /**
   * The ids of the rows that name a moved member at or after the instant it moved (their {@code at}
   * is the time the row is keyed at).
   */
  private static Optional<Dataset<Row>> ofMoved(
      Dataset<Row> rows, String id, String member, String at, Optional<Dataset<Row>> moved) {
    return moved.map(
        members -> MovedMembers.rowsOf(rows, col(member), col(at), members).select(id));
  }

  /**
   * The user's and the mentor's keys of the versions valid at {@code at} (or the unknown member).
   */
  private static Dataset<Row> withMemberKeys(
      Dataset<Row> rows, Column at, Dataset<Row> users, Dataset<Row> mentors) {
    Dataset<Row> keyed =
        Dimensions.keyAt(rows, "user_id", at, users, "user_id", "user_key", "user_key");
    return Dimensions.keyAt(
        keyed, "mentor_id", at, mentors, "mentor_id", "mentor_key", "mentor_key");
  }

  static Dataset<Row> sessionFacts(
      Dataset<Row> sessions, Dataset<Row> users, Dataset<Row> mentors) {
    Dataset<Row> keyed = withMemberKeys(sessions, col("started_at"), users, mentors);
    return keyed.select(
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
  }

  static Dataset<Row> bookingFacts(
      Dataset<Row> bookings,
      Dataset<Row> users,
      Dataset<Row> mentors,
      Timestamp horizon,
      long noShowMicros) {
    Dataset<Row> keyed = withMemberKeys(bookings, col("requested_at"), users, mentors);
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
    return keyed.select(
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
  }

  private static Column minutes(Column from, Column to) {
    return unix_micros(to).minus(unix_micros(from)).divide(60_000_000.0);
  }
}
