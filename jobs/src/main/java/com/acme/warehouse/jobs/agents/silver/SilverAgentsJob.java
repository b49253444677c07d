package com.acme.warehouse.jobs.agents.silver;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.jobs.agents.AgentsTables;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.silver.ExportHistory;
import java.util.List;

/**
 * {@code agents-silver-agents}: the full exports of the agents table as SCD2 on {@code agent_name}:
 * a new version whenever the row's {@code updated_at} moves (type, capabilities, SLA target or cost
 * changed), valid from that {@code updated_at}, so an approval is judged against the SLA target
 * valid when it was created. Capabilities become a sorted array. An agent missing from the latest
 * export gets a deleted version as of that export; an export delivered late only adds the versions
 * it knew.
 */
public final class SilverAgentsJob implements Job {
  private static final ExportHistory EXPORTS =
      ExportHistory.of(
              AgentsTables.BRONZE_AGENTS,
              AgentsTables.AGENTS,
              AgentsTables.AGENTS_QUARANTINE,
              "agent_name",
              "updated_at")
          .shaped(typed -> JsonArrays.parse(typed, "capabilities"))
          .keyConflictsQuarantined();

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
    return EXPORTS.run(context, source.fields());
  }
}
