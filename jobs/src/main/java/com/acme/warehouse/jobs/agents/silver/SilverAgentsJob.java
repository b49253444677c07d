package com.acme.warehouse.jobs.agents.silver;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.agents.AgentsTables;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.silver.Acceptance;
import com.acme.warehouse.jobs.silver.ContractTyping;
import com.acme.warehouse.jobs.silver.SilverLoad;
import com.acme.warehouse.jobs.silver.TypedRows;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code agents-silver-agents}: the full exports of the agents table as SCD2 on {@code agent_name}:
 * a new version whenever the row's {@code updated_at} moves (type, capabilities, SLA target or cost
 * changed), valid from that {@code updated_at}, so an approval is judged against the SLA target
 * valid when it was created. Capabilities become a sorted array. An agent missing from the latest
 * export gets a deleted version as of that export; an export delivered late only adds the versions
 * it knew.
 */
public final class SilverAgentsJob implements Job {
  private final BronzeSource source;

  private SilverAgentsJob(BronzeSource source) {
    this.source = source;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("agents-silver-agents")
        .layer(Layer.SILVER)
        .domain(AgentsTables.DOMAIN)
        .inputs(List.of(AgentsTables.BRONZE_AGENTS))
        .outputs(List.of(AgentsTables.AGENTS, AgentsTables.AGENTS_QUARANTINE))
        .description("agents as SCD2 on type, capabilities, SLA target and cost")
        .factory(
            (config, app) ->
                new SilverAgentsJob(BronzeSource.find(config, AgentsTables.DOMAIN, "agents")))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> bronze =
        SilverLoad.newBronzeRows(
            context,
            AgentsTables.BRONZE_AGENTS,
            before,
            AgentsTables.AGENTS,
            AgentsTables.AGENTS_QUARANTINE);
    try {
      Dataset<Row> typed =
          JsonArrays.parse(ContractTyping.type(bronze, source.fields()), "capabilities");
      Acceptance.Accepted accepted =
          Acceptance.acceptExport(
              context.spark(),
              TypedRows.withVersionConflicts(
                  context.spark(),
                  typed,
                  List.of("agent_name"),
                  "updated_at",
                  context.location(AgentsTables.AGENTS)),
              List.of("agent_name"),
              context.location(AgentsTables.AGENTS_QUARANTINE),
              context.runId());
      return SilverLoad.historiseDeliveries(
          context,
          bronze,
          before,
          accepted,
          AgentsTables.AGENTS,
          SilverLoad.fullExport("agent_name", "updated_at"),
          true);
    } finally {
      bronze.unpersist();
    }
  }
}
