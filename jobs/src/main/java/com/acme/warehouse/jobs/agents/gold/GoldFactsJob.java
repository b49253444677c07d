package com.acme.warehouse.jobs.agents.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.jobs.agents.AgentsTables;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code agents-gold-facts}: {@code fact_agent_query} (one row per query), {@code fact_approval}
 * (an accumulating snapshot: one row per approval, its latest state, created and resolved
 * milestones, resolution time and whether it met the SLA target of the agent version valid at its
 * creation) and {@code fact_training} (one row per feedback entry, the overall score the mean of
 * the scores present). Agents are keyed to the version valid at the fact's time; a missing
 * conversation, agent or user is the unknown member. Rebuilt whole from silver each run.
 */
public final class GoldFactsJob implements Job {
  public static JobDefinition definition() {
    return JobDefinition.builder("agents-gold-facts")
        .layer(Layer.GOLD)
        .domain(AgentsTables.DOMAIN)
        .inputs(
            List.of(
                AgentsTables.QUERIES,
                AgentsTables.APPROVALS,
                AgentsTables.FEEDBACK,
                AgentsTables.DIM_AGENT))
        .outputs(
            List.of(
                AgentsTables.FACT_QUERY, AgentsTables.FACT_APPROVAL, AgentsTables.FACT_TRAINING))
        .description("query, approval (accumulating snapshot) and training feedback facts")
        .factory((config, app) -> new GoldFactsJob())
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    Dataset<Row> dimAgent = GoldDimensionsJob.read(context, AgentsTables.DIM_AGENT);
    Dataset<Row> queries = queries(GoldDimensionsJob.read(context, AgentsTables.QUERIES), dimAgent);
    Dataset<Row> approvals =
        approvals(GoldDimensionsJob.read(context, AgentsTables.APPROVALS), dimAgent);
    Dataset<Row> training =
        training(GoldDimensionsJob.read(context, AgentsTables.FEEDBACK), dimAgent);
    Dimensions.overwrite(queries, context.location(AgentsTables.FACT_QUERY));
    Dimensions.overwrite(approvals, context.location(AgentsTables.FACT_APPROVAL));
    Dimensions.overwrite(training, context.location(AgentsTables.FACT_TRAINING));
    long queryRows = queries.count();
    long approvalRows = approvals.count();
    long trainingRows = training.count();
    return JobResult.builder()
        .rowsWritten(queryRows + approvalRows + trainingRows)
        .detail("fact_agent_query", queryRows)
        .detail("fact_approval", approvalRows)
        .detail("fact_training", trainingRows)
        .build();
  }

  /** The agent version valid at {@code at} (the unknown member if none), as {@code agent_key}. */
  private static Dataset<Row> withAgent(Dataset<Row> facts, Column at, Dataset<Row> dimAgent) {
    return Dimensions.keyAt(
        facts,
        "agent",
        at,
        dimAgent.where(col("agent_key").notEqual(Dimensions.UNKNOWN_KEY)),
        "agent_name",
        "agent_key",
        "agent_key");
  }

  static Dataset<Row> queries(Dataset<Row> silver, Dataset<Row> dimAgent) {
    Dataset<Row> keyed = withAgent(silver, col("created_at"), dimAgent);
    return keyed.select(
        col("query_id"),
        col("agent_key"),
        MemberKeys.of(keyed, "conversation_id").as("conversation_key"),
        Dimensions.dateKey(col("created_date")).as("date_key"),
        hour(col("created_at")).as("time_of_day_key"),
        col("agent").as("agent_name"),
        col("conversation_id"),
        col("created_at"),
        col("latency_ms"),
        col("approved"),
        col("human_edited"),
        col("error_occurred"),
        col("result_size_bytes"));
  }

  /**
   * One row per approval from its state history: the latest state, how many states it went through,
   * and the SLA verdict: met when approved or rejected within the target, missed when resolved
   * later or expired, NULL while pending or when the agent (so its target) is unknown.
   */
  static Dataset<Row> approvals(Dataset<Row> states, Dataset<Row> dimAgent) {
    Dataset<Row> history =
        states
            .groupBy(col("approval_id").as("_id"))
            .agg(count(lit(1)).as("state_count"), min("valid_from").as("first_seen_at"));
    Dataset<Row> current =
        states
            .where(col("is_current"))
            .join(history, col("approval_id").equalTo(col("_id")))
            .drop("_id");
    Dataset<Row> keyed =
        withAgent(current, col("created_at"), dimAgent)
            .join(
                dimAgent.select(col("agent_key").as("_agent_key"), col("sla_target_seconds")),
                col("agent_key").equalTo(col("_agent_key")),
                "left")
            .drop("_agent_key");
    Column resolution =
        unix_micros(col("resolved_at"))
            .minus(unix_micros(col("created_at")))
            .cast("decimal(20,0)")
            .divide(lit(1_000_000))
            .cast("decimal(18,3)");
    Column resolved = col("status").notEqual("pending");
    Column slaMet =
        when(resolved.equalTo(false).or(col("sla_target_seconds").isNull()), lit(null))
            .when(col("status").equalTo("expired"), lit(false))
            .otherwise(resolution.leq(col("sla_target_seconds")));
    return keyed.select(
        col("approval_id"),
        col("agent_key"),
        MemberKeys.of(keyed, "conversation_id").as("conversation_key"),
        MemberKeys.of(keyed, "approved_by").as("approver_key"),
        Dimensions.dateKey(to_date(col("created_at"))).as("created_date_key"),
        hour(col("created_at")).as("created_time_of_day_key"),
        // A milestone not reached yet has no date (accumulating snapshot).
        Dimensions.dateKey(to_date(col("resolved_at"))).as("resolved_date_key"),
        col("agent").as("agent_name"),
        col("conversation_id"),
        col("approved_by"),
        col("status"),
        resolved.as("is_resolved"),
        col("created_at"),
        col("resolved_at"),
        col("updated_at").as("last_state_at"),
        col("state_count"),
        resolution.as("resolution_seconds"),
        col("sla_target_seconds"),
        slaMet.as("sla_met"),
        coalesce(col("interruption_count"), lit(0)).as("interruption_count"));
  }

  /** Feedback entries; the overall score is the mean of the scores present (NULL if none). */
  static Dataset<Row> training(Dataset<Row> feedback, Dataset<Row> dimAgent) {
    Dataset<Row> keyed = withAgent(feedback, col("created_at"), dimAgent);
    Column present = lit(0);
    Column total = lit(0);
    for (String score : List.of("clarity_score", "accuracy_score", "tone_score")) {
      present = present.plus(when(col(score).isNotNull(), 1).otherwise(0));
      total = total.plus(coalesce(col(score), lit(0)));
    }
    return keyed.select(
        col("feedback_id"),
        col("agent_key"),
        MemberKeys.of(keyed, "conversation_id").as("conversation_key"),
        MemberKeys.of(keyed, "annotator").as("annotator_key"),
        Dimensions.dateKey(to_date(col("created_at"))).as("date_key"),
        hour(col("created_at")).as("time_of_day_key"),
        col("agent").as("agent_name"),
        col("conversation_id"),
        col("annotator"),
        col("annotator_type"),
        col("team"),
        col("created_at"),
        col("annotated_at"),
        col("clarity_score"),
        col("accuracy_score"),
        col("tone_score"),
        present.as("scores_present"),
        when(present.gt(0), total.cast("double").divide(present)).as("overall_score"),
        col("safe_to_send"),
        col("labels"));
  }
}
