package com.acme.warehouse.jobs.agents.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.testing.SparkTestBase;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The agents facts' rules on in-memory rows: an approval is judged against the SLA target of the
 * agent version valid when it was created (a version boundary is exact to the microsecond), and the
 * daily p95 latency interpolates between the two nearest ranks.
 */
class AgentsFactsTest extends SparkTestBase {
  private static final String DIM_AGENT =
      "agent_key STRING, agent_name STRING, valid_from TIMESTAMP, valid_to TIMESTAMP,"
          + " sla_target_seconds INT";
  private static final String STATES =
      "approval_id STRING, agent STRING, conversation_id STRING, approved_by STRING, status STRING,"
          + " created_at TIMESTAMP, resolved_at TIMESTAMP, updated_at TIMESTAMP,"
          + " interruption_count INT, valid_from TIMESTAMP, is_current BOOLEAN";

  private static Dataset<Row> dimAgent() {
    return df(
        DIM_AGENT,
        // Version 1 with a 60 s target until noon on Jan 10, version 2 with 120 s from then on.
        "{'agent_key':'k1','agent_name':'triage','valid_from':'2024-01-01T00:00:00Z',"
            + "'valid_to':'2024-01-10T12:00:00Z','sla_target_seconds':60}",
        "{'agent_key':'k2','agent_name':'triage','valid_from':'2024-01-10T12:00:00Z',"
            + "'sla_target_seconds':120}",
        "{'agent_key':'"
            + Dimensions.UNKNOWN_KEY
            + "','agent_name':'Unknown',"
            + "'valid_from':'1900-01-01T00:00:00Z'}");
  }

  private static String approval(
      String id, String agent, String status, String createdAt, String resolvedAt) {
    return String.format(
        "{'approval_id':'%s','agent':'%s','conversation_id':'c','approved_by':'ann','status':'%s',"
            + "'created_at':'%s',%s'updated_at':'%s','valid_from':'%s','is_current':true}",
        id,
        agent,
        status,
        createdAt,
        resolvedAt == null ? "" : "'resolved_at':'" + resolvedAt + "',",
        createdAt,
        createdAt);
  }

  @Test
  void anApprovalIsJudgedAgainstTheTargetOfTheAgentVersionValidAtItsCreation() {
    Dataset<Row> states =
        df(
            STATES,
            // A microsecond before version 2: 60 s target, resolved in 90 s: missed.
            approval(
                "before",
                "triage",
                "approved",
                "2024-01-10T11:59:59.999999Z",
                "2024-01-10T12:01:29.999999Z"),
            // Exactly at version 2's start: 120 s target, 90 s: met.
            approval("at", "triage", "approved", "2024-01-10T12:00:00Z", "2024-01-10T12:01:30Z"),
            // Resolved exactly at the target: met.
            approval("edge", "triage", "rejected", "2024-01-11T00:00:00Z", "2024-01-11T00:02:00Z"),
            // Expired: missed whatever the time; pending: not judged yet.
            approval(
                "expired", "triage", "expired", "2024-01-11T00:00:00Z", "2024-01-11T00:01:00Z"),
            approval("pending", "triage", "pending", "2024-01-11T00:00:00Z", null),
            // An agent the dimension does not know: unknown member, no target, not judged.
            approval("ghost", "ghost", "approved", "2024-01-11T00:00:00Z", "2024-01-11T00:00:01Z"));

    Map<String, Row> facts =
        AgentsFactsJob.approvals(states, dimAgent()).collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getAs("approval_id"), r -> r));

    assertVerdict(facts.get("before"), "k1", 60, "90.000", false);
    assertVerdict(facts.get("at"), "k2", 120, "90.000", true);
    assertVerdict(facts.get("edge"), "k2", 120, "120.000", true);
    assertVerdict(facts.get("expired"), "k2", 120, "60.000", false);
    assertVerdict(facts.get("pending"), "k2", 120, null, null);
    assertEquals(false, facts.get("pending").getAs("is_resolved"));
    assertVerdict(facts.get("ghost"), Dimensions.UNKNOWN_KEY, null, "1.000", null);
  }

  private static void assertVerdict(
      Row fact, String agentKey, Integer target, String seconds, Boolean met) {
    String id = fact.getAs("approval_id");
    assertEquals(agentKey, fact.getAs("agent_key"), id);
    assertEquals(target, fact.getAs("sla_target_seconds"), id);
    BigDecimal resolution = fact.getAs("resolution_seconds");
    assertEquals(seconds == null ? null : new BigDecimal(seconds), resolution, id);
    assertEquals(met, fact.getAs("sla_met"), id);
  }

  @Test
  void dailyP95InterpolatesBetweenTheTwoNearestRanks() {
    List<String> queries = new ArrayList<>();
    // 1..20 ms on Jan 2: rank 0.95 × 19 = 18.05 → 19 + 0.05 × (20 − 19) = 19.05.
    for (int ms = 1; ms <= 20; ms++) {
      queries.add(query("2024-01-02T08:00:00Z", ms));
    }
    // 100 and 200 ms on Jan 3: 100 + 0.95 × 100 = 195; one query on Jan 4: itself.
    queries.add(query("2024-01-03T08:00:00Z", 100));
    queries.add(query("2024-01-03T23:59:59.999999Z", 200));
    queries.add(query("2024-01-04T00:00:00Z", 7));
    Dataset<Row> frame =
        df(
            "agent_name STRING, created_at TIMESTAMP, latency_ms BIGINT, approved BOOLEAN,"
                + " human_edited BOOLEAN, error_occurred BOOLEAN",
            queries.toArray(new String[0]));
    Dataset<Row> approvals =
        df("agent_name STRING, created_at TIMESTAMP, is_resolved BOOLEAN, sla_met BOOLEAN");
    Dataset<Row> training = df("agent_name STRING, created_at TIMESTAMP, safe_to_send BOOLEAN");

    Map<String, Row> byDate =
        GoldDailyPerformanceJob.daily(frame, approvals, training, dimAgent())
            .orderBy("date")
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getAs("date").toString(), r -> r));

    assertEquals(19.05, (double) byDate.get("2024-01-02").getAs("p95_latency_ms"), 1e-9);
    assertEquals(10.5, (double) byDate.get("2024-01-02").getAs("avg_latency_ms"), 1e-9);
    assertEquals(195.0, (double) byDate.get("2024-01-03").getAs("p95_latency_ms"), 1e-9);
    assertEquals(7.0, (double) byDate.get("2024-01-04").getAs("p95_latency_ms"), 1e-9);
    assertEquals(3, byDate.size());
    // The day's agent version is the one valid at its last microsecond.
    assertEquals("k1", byDate.get("2024-01-02").getAs("agent_key"));
    assertNull(byDate.get("2024-01-02").getAs("sla_compliance"));
  }

  private static String query(String at, long ms) {
    return String.format(
        "{'agent_name':'triage','created_at':'%s','latency_ms':%d,'approved':true,"
            + "'human_edited':false,'error_occurred':false}",
        at, ms);
  }
}
