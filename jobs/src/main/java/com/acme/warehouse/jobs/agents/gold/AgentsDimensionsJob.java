package com.acme.warehouse.jobs.agents.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.gold.GoldTables;
import com.acme.warehouse.common.gold.Increment;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.jobs.agents.AgentsTables;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code agents-gold-dimensions}: {@code dim_agent} (one row per SCD2 version of an agent), {@code
 * dim_conversation} (first and last seen, how many queries, approvals and feedback), {@code
 * dim_user} (annotators with their type and team, approvers), each with its unknown member; {@code
 * dim_date} over the activity's range with the configured fiscal year, and {@code dim_time_of_day}
 * (one row per hour). {@code dim_conversation} is incremental: only the conversations whose
 * queries, approvals or feedback changed since the last run are recomputed, from all their rows
 * ({@link Increment}; the table kept in order of {@code first_seen_at}); the others are small and
 * rebuilt whole from silver each run, identical on a rerun.
 */
public final class AgentsDimensionsJob implements Job {
  private static final int HOURS = 24;
  private static final List<TableId> INPUTS =
      List.of(
          AgentsTables.AGENTS, AgentsTables.QUERIES, AgentsTables.APPROVALS, AgentsTables.FEEDBACK);
  private static final List<TableId> OUTPUTS =
      List.of(
          AgentsTables.DIM_AGENT,
          AgentsTables.DIM_CONVERSATION,
          AgentsTables.DIM_USER,
          AgentsTables.DIM_DATE,
          AgentsTables.DIM_TIME_OF_DAY);

  private final int fiscalStartMonth;

  private AgentsDimensionsJob(int fiscalStartMonth) {
    this.fiscalStartMonth = fiscalStartMonth;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("agents-gold-dimensions")
        .layer(Layer.GOLD)
        .domain(AgentsTables.DOMAIN)
        .inputs(INPUTS)
        .outputs(OUTPUTS)
        .description("agent (SCD2), conversation, user, date and time-of-day dimensions")
        .factory((config, app) -> new AgentsDimensionsJob(Dimensions.fiscalYearStartMonth(config)))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    Increment increment = Increment.of(context, INPUTS, OUTPUTS);
    JobResult.Builder result = increment.result();
    Dataset<Row> queries = context.read(AgentsTables.QUERIES);
    Dataset<Row> approvals = context.read(AgentsTables.APPROVALS).where(col("is_current"));
    Dataset<Row> feedback = context.read(AgentsTables.FEEDBACK);

    Dataset<Row> agents =
        context
            .read(AgentsTables.AGENTS)
            .select(
                col("version_key").as("agent_key"),
                col("agent_name"),
                col("agent_type"),
                col("capabilities"),
                col("sla_target_seconds"),
                col("cost_per_query_usd"),
                col("valid_from"),
                col("valid_to"),
                col("is_current"),
                col("is_deleted"));
    Dataset<Row> dimAgent =
        agents.unionByName(Dimensions.unknownMember(agents, "agent_key", "agent_name"));
    Optional<Dataset<Row>> touchedConversations =
        Increment.allOf(
                increment.changedKeys(AgentsTables.QUERIES, "conversation_id"),
                increment.changedKeys(AgentsTables.APPROVALS, "conversation_id"),
                increment.changedKeys(AgentsTables.FEEDBACK, "conversation_id"))
            .map(ids -> ids.where(col("conversation_id").isNotNull()));
    long conversations =
        increment.rewrite(
            AgentsTables.DIM_CONVERSATION,
            "conversation_id",
            "first_seen_at",
            activity(queries, approvals, feedback),
            touchedConversations,
            AgentsDimensionsJob::dimConversation,
            result);
    Dataset<Row> users = users(approvals, feedback);
    Dataset<Row> dimUser =
        users.unionByName(Dimensions.unknownMember(users, "user_key", "user_name"));

    GoldTables.replace(dimAgent, context.location(AgentsTables.DIM_AGENT));
    GoldTables.replace(dimUser, context.location(AgentsTables.DIM_USER));
    GoldTables.replace(timesOfDay(spark), context.location(AgentsTables.DIM_TIME_OF_DAY));
    Row range =
        queries
            .select(col("created_date").as("d"))
            .unionByName(approvals.select(to_date(col("created_at")).as("d")))
            .unionByName(approvals.select(to_date(col("resolved_at")).as("d")))
            .unionByName(feedback.select(to_date(col("created_at")).as("d")))
            .agg(min("d"), max("d"))
            .head();
    Dataset<Row> dates = Dimensions.datesCovering(spark, range, fiscalStartMonth);
    GoldTables.replace(dates, context.location(AgentsTables.DIM_DATE));
    long days = dates.count();
    return result
        .rowsWritten(dimAgent.count() + conversations + dimUser.count() + days + HOURS)
        .detail("dim_date", days)
        .build();
  }

  /** Every time a source names a conversation: its id, when, and which source. */
  private static Dataset<Row> activity(
      Dataset<Row> queries, Dataset<Row> approvals, Dataset<Row> feedback) {
    return activity(queries, "queries")
        .unionByName(activity(approvals, "approvals"))
        .unionByName(activity(feedback, "feedback"))
        .where(col("conversation_id").isNotNull());
  }

  /**
   * One row per conversation of {@code seen} ({@link #activity}) and the unknown member, which a
   * fact with a missing conversation id points at (the same row however many are recomputed).
   */
  static Dataset<Row> dimConversation(Dataset<Row> seen) {
    Dataset<Row> grouped =
        seen.groupBy("conversation_id")
            .agg(
                min("at").as("first_seen_at"),
                max("at").as("last_seen_at"),
                counted("queries"),
                counted("approvals"),
                counted("feedback"));
    Dataset<Row> conversations =
        grouped.select(
            MemberKeys.of(grouped, "conversation_id").as("conversation_key"),
            col("conversation_id"),
            col("first_seen_at"),
            col("last_seen_at"),
            col("queries").as("query_count"),
            col("approvals").as("approval_count"),
            col("feedback").as("feedback_count"));
    return conversations.unionByName(
        Dimensions.unknownMember(conversations, "conversation_key", "conversation_id"));
  }

  private static Dataset<Row> activity(Dataset<Row> rows, String source) {
    return rows.select(
        col("conversation_id"), col("created_at").as("at"), lit(source).as("source"));
  }

  private static Column counted(String source) {
    return sum(when(col("source").equalTo(source), 1L).otherwise(0L)).as(source);
  }

  /**
   * Annotators (type and team from their latest feedback) and approvers (type {@code approver}
   * unless they also annotate); one row per person, type 1.
   */
  static Dataset<Row> users(Dataset<Row> approvals, Dataset<Row> feedback) {
    Dataset<Row> annotators =
        feedback
            .where(col("annotator").isNotNull())
            .select(
                col("annotator").as("user_name"),
                col("annotator_type").as("type"),
                col("team"),
                greatest(col("created_at"), col("annotated_at")).as("at"),
                lit(true).as("annotates"),
                lit(false).as("approves"));
    Dataset<Row> approvers =
        approvals
            .where(col("approved_by").isNotNull())
            .select(
                col("approved_by").as("user_name"),
                lit(null).cast("string").as("type"),
                lit(null).cast("string").as("team"),
                col("resolved_at").as("at"),
                lit(false).as("annotates"),
                lit(true).as("approves"));
    Dataset<Row> grouped =
        annotators
            .unionByName(approvers)
            .groupBy("user_name")
            .agg(
                max_by(col("type"), when(col("annotates"), col("at"))).as("annotator_type"),
                max_by(col("team"), when(col("annotates"), col("at"))).as("team"),
                max(col("annotates")).as("is_annotator"),
                max(col("approves")).as("is_approver"),
                min("at").as("first_seen_at"),
                max("at").as("last_seen_at"));
    return grouped.select(
        MemberKeys.of(grouped, "user_name").as("user_key"),
        col("user_name"),
        when(col("is_annotator"), col("annotator_type")).otherwise(lit("approver")).as("user_type"),
        col("team"),
        col("is_annotator"),
        col("is_approver"),
        col("first_seen_at"),
        col("last_seen_at"));
  }

  /** One row per hour of the day, keyed by the hour (0-23) that facts carry. */
  static Dataset<Row> timesOfDay(SparkSession spark) {
    Column hour = col("id").cast("int");
    return spark
        .range(HOURS)
        .select(
            hour.as("time_of_day_key"),
            hour.as("hour"),
            concat(
                    lpad(hour.cast("string"), 2, "0"),
                    lit(":00-"),
                    lpad(hour.cast("string"), 2, "0"),
                    lit(":59"))
                .as("hour_label"),
            when(hour.lt(6), "night")
                .when(hour.lt(12), "morning")
                .when(hour.lt(18), "afternoon")
                .otherwise("evening")
                .as("day_part"),
            hour.geq(9).and(hour.lt(17)).as("is_business_hours"));
  }
}
