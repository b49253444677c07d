package com.acme.warehouse.jobs.agents.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.agents.AgentsTables;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.bronze.BronzeTables;
import com.acme.warehouse.jobs.silver.ContractTyping;
import com.acme.warehouse.jobs.silver.SilverLoad;
import com.acme.warehouse.jobs.silver.TypedRows;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The agents sources that deliver new rows only, each row once (a re-delivery is a copy):
 *
 * <ul>
 *   <li>{@code agents-silver-queries}: queries deduplicated on {@code query_id} alone; two distinct
 *       queries of one agent at the same instant are two rows. Partitioned by day.
 *   <li>{@code agents-silver-feedback}: feedback with each score checked to be 1–5 (a score outside
 *       is quarantined with the field and value; a missing score stays NULL, never 0) and {@code
 *       labels} as an array of strings.
 * </ul>
 *
 * Typed by the source's contract; rows breaking a rule go to the quarantine with the rule.
 */
public final class SilverRecordsJob implements Job {
  static final List<String> SCORES = List.of("clarity_score", "accuracy_score", "tone_score");
  static final int MIN_SCORE = 1;
  static final int MAX_SCORE = 5;

  private final TableId bronzeTable;
  private final TableId target;
  private final TableId quarantine;
  private final String id;
  private final Optional<String> partition;
  private final BronzeSource source;
  private final UnaryOperator<Dataset<Row>> rules;

  private SilverRecordsJob(
      TableId bronzeTable,
      TableId target,
      TableId quarantine,
      String id,
      Optional<String> partition,
      BronzeSource source,
      UnaryOperator<Dataset<Row>> rules) {
    this.bronzeTable = bronzeTable;
    this.target = target;
    this.quarantine = quarantine;
    this.id = id;
    this.partition = partition;
    this.source = source;
    this.rules = rules;
  }

  public static List<JobDefinition> definitions() {
    return List.of(
        JobDefinition.builder("agents-silver-queries")
            .layer(Layer.SILVER)
            .domain(AgentsTables.DOMAIN)
            .inputs(List.of(AgentsTables.BRONZE_QUERIES))
            .outputs(List.of(AgentsTables.QUERIES, AgentsTables.QUERIES_QUARANTINE))
            .description("agent queries, typed and deduplicated on query_id only")
            .factory(
                (config, app) ->
                    new SilverRecordsJob(
                        AgentsTables.BRONZE_QUERIES,
                        AgentsTables.QUERIES,
                        AgentsTables.QUERIES_QUARANTINE,
                        "query_id",
                        Optional.of("created_date"),
                        BronzeSource.find(config, AgentsTables.DOMAIN, "agent_queries"),
                        SilverRecordsJob::queryRules))
            .build(),
        JobDefinition.builder("agents-silver-feedback")
            .layer(Layer.SILVER)
            .domain(AgentsTables.DOMAIN)
            .inputs(List.of(AgentsTables.BRONZE_FEEDBACK))
            .outputs(List.of(AgentsTables.FEEDBACK, AgentsTables.FEEDBACK_QUARANTINE))
            .description("training feedback: scores checked 1-5, labels as an array")
            .factory(
                (config, app) ->
                    new SilverRecordsJob(
                        AgentsTables.BRONZE_FEEDBACK,
                        AgentsTables.FEEDBACK,
                        AgentsTables.FEEDBACK_QUARANTINE,
                        "feedback_id",
                        Optional.empty(),
                        BronzeSource.find(config, AgentsTables.DOMAIN, "agent_feedback"),
                        SilverRecordsJob::feedbackRules))
            .build());
  }

  @Override
  public JobResult run(JobContext context) {
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> bronze =
        SilverLoad.newBronzeRows(context, bronzeTable, before, target, quarantine);
    try {
      JobResult.Builder result =
          SilverLoad.appendFirstDelivery(
              context.spark(),
              rules.apply(ContractTyping.type(bronze, source.fields())),
              id,
              partition,
              context.location(target),
              context.location(quarantine),
              context.runId());
      Watermark after =
          before.with("ingested", BronzeTables.watermarkOf(bronze, before.get("ingested")));
      return result.watermarkBefore(before.orNull()).watermarkAfter(after.orNull()).build();
    } finally {
      bronze.unpersist();
    }
  }

  static Dataset<Row> queryRules(Dataset<Row> typed) {
    Column latency = col("_t_latency_ms");
    return TypedRows.withRule(
            typed,
            latency.lt(0),
            "latency_ms_negative",
            concat(lit("latency_ms "), latency.cast("string"), lit(" is negative")))
        .withColumn("_t_created_date", to_date(col("_t_created_at")));
  }

  static Dataset<Row> feedbackRules(Dataset<Row> typed) {
    for (String score : SCORES) {
      Column value = col(TypedRows.TYPED + score);
      typed =
          TypedRows.withRule(
              typed,
              value.lt(MIN_SCORE).or(value.gt(MAX_SCORE)),
              score + "_out_of_range",
              concat(
                  lit(score + " "),
                  value.cast("string"),
                  lit(" is outside " + MIN_SCORE + "-" + MAX_SCORE)));
    }
    return JsonArrays.parse(typed, "labels");
  }
}
