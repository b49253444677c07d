package com.acme.warehouse.jobs.agents.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.scd.Scd2Merge;
import com.acme.warehouse.common.scd.ScdResult;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.agents.AgentsTables;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.bronze.BronzeTables;
import com.acme.warehouse.jobs.silver.Acceptance;
import com.acme.warehouse.jobs.silver.ContractTyping;
import com.acme.warehouse.jobs.silver.SilverLoad;
import com.acme.warehouse.jobs.silver.TypedRows;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code agents-silver-approvals}: approvals arrive again each time their state changes, so each
 * approval is kept as the history of its states: SCD2 on {@code approval_id}, one version per
 * {@code updated_at}, the current version its latest state (whatever order the rows arrive in; a
 * re-delivered state adds nothing). Rows that contradict themselves are quarantined: a resolved
 * status without {@code resolved_at}, a resolution before the creation.
 */
public final class SilverApprovalsJob implements Job {
  private final BronzeSource source;

  private SilverApprovalsJob(BronzeSource source) {
    this.source = source;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("agents-silver-approvals")
        .layer(Layer.SILVER)
        .domain(AgentsTables.DOMAIN)
        .inputs(List.of(AgentsTables.BRONZE_APPROVALS))
        .outputs(List.of(AgentsTables.APPROVALS, AgentsTables.APPROVALS_QUARANTINE))
        .description("approvals with the history of their states (SCD2 on updated_at)")
        .factory(
            (config, app) ->
                new SilverApprovalsJob(
                    BronzeSource.find(config, AgentsTables.DOMAIN, "agent_approvals")))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> bronze =
        SilverLoad.newBronzeRows(
            context,
            AgentsTables.BRONZE_APPROVALS,
            before,
            AgentsTables.APPROVALS,
            AgentsTables.APPROVALS_QUARANTINE);
    try {
      Acceptance.Accepted accepted =
          Acceptance.accept(
              context.spark(),
              rules(ContractTyping.type(bronze, source.fields())),
              List.of("approval_id", "updated_at"),
              context.location(AgentsTables.APPROVALS_QUARANTINE),
              context.runId());
      JobResult.Builder result = accepted.counters();
      if (accepted.distinct > 0) {
        ScdResult merged =
            Scd2Merge.apply(
                context.spark(),
                accepted.rows,
                context.location(AgentsTables.APPROVALS),
                ScdSpec.builder("approval_id")
                    .timestamp("updated_at")
                    .deletionVectors(false)
                    .build());
        result
            .detail("states_inserted", merged.inserted())
            .detail("states_closed", merged.updated());
      }
      Watermark after =
          before.with("ingested", BronzeTables.watermarkOf(bronze, before.get("ingested")));
      return result.watermarkBefore(before.orNull()).watermarkAfter(after.orNull()).build();
    } finally {
      bronze.unpersist();
    }
  }

  static Dataset<Row> rules(Dataset<Row> typed) {
    Column status = col("_t_status");
    Column created = col("_t_created_at");
    Column resolved = col("_t_resolved_at");
    Dataset<Row> checked =
        TypedRows.withRule(
            typed,
            status.notEqual("pending").and(resolved.isNull()),
            "resolved_at_missing",
            concat(lit("status '"), status, lit("' needs resolved_at")));
    return TypedRows.withRule(
        checked,
        resolved.lt(created),
        "resolved_before_created",
        concat(
            lit("resolved_at "),
            resolved.cast("string"),
            lit(" is before created_at "),
            created.cast("string")));
  }
}
