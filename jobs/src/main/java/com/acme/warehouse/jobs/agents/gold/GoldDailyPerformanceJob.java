package com.acme.warehouse.jobs.agents.gold;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.gold.GoldTables;
import com.acme.warehouse.common.gold.Increment;
import com.acme.warehouse.common.gold.MovedMembers;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.silver.ScopedReplace;
import com.acme.warehouse.common.spark.ScalaSeqs;
import com.acme.warehouse.jobs.agents.AgentsTables;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code agents-gold-daily-performance}: {@code agg_agent_daily_performance}, one row per agent (as
 * the sources name it, known to {@code dim_agent} or not) and UTC day with any query, approval or
 * feedback, from the facts:
 *
 * <ul>
 *   <li>queries, average and exact p95 latency (linear interpolation between the two nearest ranks,
 *       as PostgreSQL's {@code percentile_cont}), approval rate (approved among the queries with a
 *       decision), edit rate and error rate (among all queries);
 *   <li>approvals created that day, how many are resolved and met their SLA, SLA compliance (met
 *       among the resolved ones whose agent, so SLA target, is known);
 *   <li>feedback entries and unsafe ones (not safe to send).
 * </ul>
 *
 * Counts are 0 when nothing happened; a rate or latency is NULL only when it has nothing to be
 * computed over (no query, no resolved approval): 0 would be a false number. {@code agent_key} is
 * the agent version valid at the end of the day.
 *
 * <p>Incremental: only the agent-days whose facts changed since the last run, and the days of an
 * agent whose dimension rows moved that end at or after the move, are recomputed, in one MERGE; the
 * first run, {@code --full-refresh} or a gap in a feed rebuilds whole.
 */
public final class GoldDailyPerformanceJob implements Job {
  private static final int PRINTED_AGENTS = 10;

  private static final List<TableId> INPUTS =
      List.of(
          AgentsTables.FACT_QUERY,
          AgentsTables.FACT_APPROVAL,
          AgentsTables.FACT_TRAINING,
          AgentsTables.DIM_AGENT);
  private static final List<String> GRAIN = List.of("agent_name", "date");

  public static JobDefinition definition() {
    return JobDefinition.builder("agents-gold-daily-performance")
        .layer(Layer.GOLD)
        .domain(AgentsTables.DOMAIN)
        .inputs(INPUTS)
        .outputs(List.of(AgentsTables.DAILY_PERFORMANCE))
        .description("agent x day: volume, latency, rates, approvals, SLA, feedback")
        .factory((config, app) -> new GoldDailyPerformanceJob())
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    Increment increment = Increment.of(context, INPUTS, List.of(AgentsTables.DAILY_PERFORMANCE));
    Dataset<Row> queries = context.read(AgentsTables.FACT_QUERY);
    Dataset<Row> approvals = context.read(AgentsTables.FACT_APPROVAL);
    Dataset<Row> training = context.read(AgentsTables.FACT_TRAINING);
    Dataset<Row> dimAgent = context.read(AgentsTables.DIM_AGENT);
    String target = context.location(AgentsTables.DAILY_PERFORMANCE);
    JobResult.Builder result = increment.result();
    Optional<Dataset<Row>> touched = touchedDays(increment, queries, approvals, training);
    if (touched.isEmpty()) {
      GoldTables.replace(daily(queries, approvals, training, dimAgent), target);
      result
          .rowsWritten(context.read(AgentsTables.DAILY_PERFORMANCE).count())
          .detail("mode", "full");
    } else {
      Dataset<Row> days = touched.get().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Dataset<Row> rows =
            daily(onDays(queries, days), onDays(approvals, days), onDays(training, days), dimAgent);
        ScopedReplace.Counts counts =
            ScopedReplace.apply(context.spark(), rows, days, target, GRAIN, GRAIN);
        result
            .rowsWritten(counts.upserted)
            .detail("mode", "incremental")
            .detail("agent_days_recomputed", days.count())
            .detail("agent_days_removed", counts.deleted);
      } finally {
        days.unpersist();
      }
    }
    print(context.out(), context.read(AgentsTables.DAILY_PERFORMANCE));
    return result.build();
  }

  /**
   * The agent-days to recompute, as {@code agent_name, date}: those of every fact that changed
   * since the last run (before and after the change) and the days of an agent whose dimension rows
   * moved that end at or after the move (its key at the end of those days may differ); empty when
   * the whole table must be rebuilt.
   */
  private static Optional<Dataset<Row>> touchedDays(
      Increment increment, Dataset<Row> queries, Dataset<Row> approvals, Dataset<Row> training) {
    Optional<Dataset<Row>> movedAgents =
        increment.movedMembers(AgentsTables.DIM_AGENT, "agent_name");
    List<Optional<Dataset<Row>>> changed =
        List.of(
            increment.changedKeys(AgentsTables.FACT_QUERY, "agent_name", "created_at"),
            increment.changedKeys(AgentsTables.FACT_APPROVAL, "agent_name", "created_at"),
            increment.changedKeys(AgentsTables.FACT_TRAINING, "agent_name", "created_at"));
    if (movedAgents.isEmpty() || changed.stream().anyMatch(Optional::isEmpty)) {
      return Optional.empty();
    }
    Dataset<Row> days = null;
    for (Optional<Dataset<Row>> facts : changed) {
      days = union(days, dayOf(facts.get()));
    }
    for (Dataset<Row> facts : List.of(queries, approvals, training)) {
      days =
          union(
              days,
              dayOf(
                  MovedMembers.rowsOf(
                      facts,
                      col("agent_name"),
                      endOfDay(to_date(col("created_at"))),
                      movedAgents.get())));
    }
    return Optional.of(days.distinct());
  }

  private static Dataset<Row> union(Dataset<Row> a, Dataset<Row> b) {
    return a == null ? b : a.union(b);
  }

  private static Dataset<Row> dayOf(Dataset<Row> facts) {
    return facts.select(col("agent_name"), to_date(col("created_at")).as("date"));
  }

  /** The facts of these agent-days. */
  private static Dataset<Row> onDays(Dataset<Row> facts, Dataset<Row> days) {
    return facts.join(
        days,
        facts
            .col("agent_name")
            .equalTo(days.col("agent_name"))
            .and(to_date(facts.col("created_at")).equalTo(days.col("date"))),
        "left_semi");
  }

  /** Per agent over the whole period, busiest first: what the daily rows add up to. */
  private static void print(PrintStream out, Dataset<Row> daily) {
    List<Row> agents =
        daily
            .groupBy("agent_name")
            .agg(
                sum("queries").as("queries"),
                expr("sum(avg_latency_ms * queries) / sum(queries)").as("avg_latency"),
                expr("max(p95_latency_ms)").as("worst_p95"),
                expr("sum(approved_queries) / sum(queries_with_decision)").as("approval_rate"),
                expr("sum(error_queries) / sum(queries)").as("error_rate"),
                sum("approvals").as("approvals"),
                // Days whose SLA could not be judged (agent unknown) are left out.
                expr("sum(approvals_sla_met) / sum(CASE WHEN sla_compliance IS NOT NULL"
                        + " THEN approvals_resolved END)")
                    .as("sla"),
                sum("feedback_entries").as("feedback"),
                sum("unsafe_feedback_count").as("unsafe"))
            .orderBy(col("queries").desc(), col("agent_name"))
            .takeAsList(PRINTED_AGENTS);
    out.printf(Locale.ROOT, "%nAgent performance over the period (busiest %d):%n", agents.size());
    out.printf(
        Locale.ROOT,
        "  %-22s %8s %9s %9s %7s %7s %9s %7s %8s %6s%n",
        "AGENT",
        "QUERIES",
        "AVG MS",
        "MAX P95",
        "APPR%",
        "ERR%",
        "APPROVALS",
        "SLA%",
        "FEEDBACK",
        "UNSAFE");
    for (Row row : agents) {
      out.printf(
          Locale.ROOT,
          "  %-22s %8d %9s %9s %7s %7s %9d %7s %8d %6d%n",
          row.getString(0),
          row.getLong(1),
          number(row, 2, 1, "%.0f"),
          number(row, 3, 1, "%.0f"),
          number(row, 4, 100, "%.1f"),
          number(row, 5, 100, "%.1f"),
          row.getLong(6),
          number(row, 7, 100, "%.1f"),
          row.getLong(8),
          row.getLong(9));
    }
    out.println("  (SLA%: resolved approvals within the SLA target valid at their creation)");
    out.println();
  }

  private static String number(Row row, int i, double scale, String format) {
    return row.isNullAt(i) ? "-" : String.format(Locale.ROOT, format, row.getDouble(i) * scale);
  }

  /**
   * One row per agent and day with any query, approval or feedback: the day's counts and rates, and
   * the agent's key of the version valid at the end of the day.
   */
  static Dataset<Row> daily(
      Dataset<Row> queries, Dataset<Row> approvals, Dataset<Row> training, Dataset<Row> dimAgent) {
    Dataset<Row> keyed =
        Dimensions.keyAt(
            countsByAgentAndDay(queries, approvals, training),
            "agent_name",
            endOfDay(col("date")),
            dimAgent.where(col("agent_key").notEqual(Dimensions.UNKNOWN_KEY)),
            "agent_name",
            "agent_key",
            "agent_key");
    return keyed.select(
        col("agent_name"),
        col("agent_key"),
        col("agent_key").notEqual(Dimensions.UNKNOWN_KEY).as("is_known_agent"),
        Dimensions.dateKey(col("date")).as("date_key"),
        col("date"),
        col("queries"),
        col("avg_latency_ms"),
        col("p95_latency_ms"),
        col("queries_with_decision"),
        col("approved_queries"),
        rate(col("approved_queries"), col("queries_with_decision")).as("approval_rate"),
        col("edited_queries"),
        rate(col("edited_queries"), col("queries")).as("edit_rate"),
        col("error_queries"),
        rate(col("error_queries"), col("queries")).as("error_rate"),
        col("approvals"),
        col("approvals_resolved"),
        col("approvals_sla_met"),
        rate(col("approvals_sla_met"), col("approvals_sla_judged")).as("sla_compliance"),
        col("feedback_entries"),
        col("unsafe_feedback_count"));
  }

  /** The last microsecond of a day: the instant a day's row is keyed at. */
  private static Column endOfDay(Column date) {
    return to_timestamp(date_add(date, 1)).minus(expr("INTERVAL 1 MICROSECOND"));
  }

  /** Each source's counts by agent and creation day, joined; a count a day lacks is 0. */
  private static Dataset<Row> countsByAgentAndDay(
      Dataset<Row> queries, Dataset<Row> approvals, Dataset<Row> training) {
    Dataset<Row> byQueries =
        queries
            .groupBy(col("agent_name"), to_date(col("created_at")).as("date"))
            .agg(
                count(lit(1)).as("queries"),
                avg("latency_ms").as("avg_latency_ms"),
                percentile(col("latency_ms"), lit(0.95)).as("p95_latency_ms"),
                count(col("approved")).as("queries_with_decision"),
                countIf(col("approved")).as("approved_queries"),
                countIf(col("human_edited")).as("edited_queries"),
                countIf(col("error_occurred")).as("error_queries"));
    Dataset<Row> byApprovals =
        approvals
            .groupBy(col("agent_name"), to_date(col("created_at")).as("date"))
            .agg(
                count(lit(1)).as("approvals"),
                countIf(col("is_resolved")).as("approvals_resolved"),
                countIf(col("sla_met").isNotNull()).as("approvals_sla_judged"),
                countIf(col("sla_met")).as("approvals_sla_met"));
    Dataset<Row> byFeedback =
        training
            .groupBy(col("agent_name"), to_date(col("created_at")).as("date"))
            .agg(
                count(lit(1)).as("feedback_entries"),
                countIf(col("safe_to_send").equalTo(false)).as("unsafe_feedback_count"));
    List<String> grain = List.of("agent_name", "date");
    Dataset<Row> joined =
        byQueries
            .join(byApprovals, ScalaSeqs.of(grain), "full_outer")
            .join(byFeedback, ScalaSeqs.of(grain), "full_outer");
    for (String counter :
        List.of(
            "queries",
            "queries_with_decision",
            "approved_queries",
            "edited_queries",
            "error_queries",
            "approvals",
            "approvals_resolved",
            "approvals_sla_judged",
            "approvals_sla_met",
            "feedback_entries",
            "unsafe_feedback_count")) {
      joined = joined.withColumn(counter, coalesce(col(counter), lit(0L)));
    }
    return joined;
  }

  private static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  private static Column rate(Column part, Column whole) {
    return when(whole.gt(0), part.cast("double").divide(whole));
  }
}
