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
import com.acme.warehouse.common.gold.Increment;
import com.acme.warehouse.common.gold.MovedMembers;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.jobs.agents.AgentsTables;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code agents-gold-facts}: {@code fact_agent_query} (one row per query), {@code fact_approval}
 * (an accumulating snapshot: one row per approval, its latest state, created and resolved
 * milestones, resolution time and whether it met the SLA target of the agent version valid at its
 * creation) and {@code fact_training} (one row per feedback entry, the overall score the mean of
 * the scores present). Agents are keyed to the version valid at the fact's time; a missing
 * conversation, agent or user is the unknown member.
 *
 * <p>Incremental: a run recomputes the facts whose silver rows changed since the last run (Delta's
 * change data feed) and those of agents whose dimension rows moved; the first run, {@code
 * --full-refresh} or a gap in a feed rebuilds whole.
 */
public final class AgentsFactsJob implements Job {
  private static final List<TableId> INPUTS =
      List.of(
          AgentsTables.QUERIES,
          AgentsTables.APPROVALS,
          AgentsTables.FEEDBACK,
          AgentsTables.DIM_AGENT);
  private static final List<TableId> OUTPUTS =
      List.of(AgentsTables.FACT_QUERY, AgentsTables.FACT_APPROVAL, AgentsTables.FACT_TRAINING);

  public static JobDefinition definition() {
    return JobDefinition.builder("agents-gold-facts")
        .layer(Layer.GOLD)
        .domain(AgentsTables.DOMAIN)
        .inputs(INPUTS)
        .outputs(OUTPUTS)
        .description("query, approval (accumulating snapshot) and training feedback facts")
        .factory((config, app) -> new AgentsFactsJob())
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    Increment increment = Increment.of(context, INPUTS, OUTPUTS);
    Dataset<Row> dimAgent = context.read(AgentsTables.DIM_AGENT);
    Optional<Dataset<Row>> movedAgents =
        increment.movedMembers(AgentsTables.DIM_AGENT, "agent_name");
    JobResult.Builder result = increment.result();
    long written =
        refresh(
            context,
            increment,
            movedAgents,
            AgentsTables.QUERIES,
            "query_id",
            AgentsTables.FACT_QUERY,
            silver -> queries(silver, dimAgent),
            result);
    written +=
        refresh(
            context,
            increment,
            movedAgents,
            AgentsTables.APPROVALS,
            "approval_id",
            AgentsTables.FACT_APPROVAL,
            silver -> approvals(silver, dimAgent),
            result);
    written +=
        refresh(
            context,
            increment,
            movedAgents,
            AgentsTables.FEEDBACK,
            "feedback_id",
            AgentsTables.FACT_TRAINING,
            silver -> training(silver, dimAgent),
            result);
    return result.rowsWritten(written).build();
  }

  /**
   * Recomputes the facts whose silver rows changed, and those created at or after their agent's
   * dimension rows moved ({@link MovedMembers}).
   */
  private static long refresh(
      JobContext context,
      Increment increment,
      Optional<Dataset<Row>> movedAgents,
      TableId silverTable,
      String id,
      TableId fact,
      UnaryOperator<Dataset<Row>> facts,
      JobResult.Builder result) {
    Dataset<Row> silver = context.read(silverTable);
    Optional<Dataset<Row>> ofMovedAgents =
        movedAgents.map(
            agents ->
                MovedMembers.rowsOf(silver, col("agent"), col("created_at"), agents).select(id));
    return increment.rewrite(
        fact,
        id,
        "created_at",
        silver,
        Increment.allOf(increment.changedKeys(silverTable, id), ofMovedAgents),
        facts,
        result);
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
