package com.acme.warehouse.jobs.agents;

import com.acme.warehouse.common.job.TableId;

/** Every table of the agents domain, by layer. */
public final class AgentsTables {
  public static final String DOMAIN = "agents";

  public static final TableId BRONZE_AGENTS = TableId.of("bronze", DOMAIN, "agents");
  public static final TableId BRONZE_QUERIES = TableId.of("bronze", DOMAIN, "agent_queries");
  public static final TableId BRONZE_APPROVALS = TableId.of("bronze", DOMAIN, "agent_approvals");
  public static final TableId BRONZE_FEEDBACK = TableId.of("bronze", DOMAIN, "agent_feedback");

  public static final TableId AGENTS = silver("agents");
  public static final TableId AGENTS_QUARANTINE = silver("agents_quarantine");
  public static final TableId QUERIES = silver("queries");
  public static final TableId QUERIES_QUARANTINE = silver("queries_quarantine");
  public static final TableId APPROVALS = silver("approvals");
  public static final TableId APPROVALS_QUARANTINE = silver("approvals_quarantine");
  public static final TableId FEEDBACK = silver("feedback");
  public static final TableId FEEDBACK_QUARANTINE = silver("feedback_quarantine");

  public static final TableId DIM_AGENT = gold("dim_agent");
  public static final TableId DIM_CONVERSATION = gold("dim_conversation");
  public static final TableId DIM_USER = gold("dim_user");
  public static final TableId DIM_DATE = gold("dim_date");
  public static final TableId DIM_TIME_OF_DAY = gold("dim_time_of_day");
  public static final TableId FACT_QUERY = gold("fact_agent_query");
  public static final TableId FACT_APPROVAL = gold("fact_approval");
  public static final TableId FACT_TRAINING = gold("fact_training");
  public static final TableId DAILY_PERFORMANCE = gold("agg_agent_daily_performance");

  private AgentsTables() {}

  private static TableId silver(String name) {
    return TableId.of("silver", DOMAIN, name);
  }

  private static TableId gold(String name) {
    return TableId.of("gold", DOMAIN, name);
  }
}
