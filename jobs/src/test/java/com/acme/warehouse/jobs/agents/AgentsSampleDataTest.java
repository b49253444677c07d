package com.acme.warehouse.jobs.agents;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agents pipeline over generated sample data: every defect the generator planted (its {@code
 * _truth.json}) is accounted for, and the daily aggregate equals the same figures computed
 * independently, in plain Spark SQL straight over the raw extracts (no pipeline code). The scale is
 * {@code -Dagents.sample.scale} (default 0.1 to keep the suite short; the closing note of issue #9
 * reports scale 1).
 */
class AgentsSampleDataTest extends SparkTestBase {
  private static final double SCALE =
      Double.parseDouble(System.getProperty("agents.sample.scale", "0.1"));

  private static JobsCli cli;
  private static Path raw;
  private static JsonNode truth;

  @BeforeAll
  static void runPipelineOnSampleData() throws IOException {
    raw = tempDir.resolve("agents-sample-raw");
    cli = new JobsCli(spark, raw.toString(), tempDir.resolve("agents-sample-wh").toString());
    assertThat(
            cli.run(
                "generate-sample-data",
                "--scale",
                Double.toString(SCALE),
                "--seed",
                "11",
                "--set",
                "sample-data.domains=[agents]"))
        .as(cli.err())
        .isEqualTo(0);
    assertThat(cli.run("pipeline", "--domain", "agents")).as(cli.err()).isEqualTo(0);
    truth = new ObjectMapper().readTree(raw.resolve("agents/_truth.json").toFile());
  }

  private static Dataset<Row> table(String layer, String name) {
    return spark.read().format("delta").load(cli.location(layer, "agents", name));
  }

  private static long truth(String section, String name) {
    return truth.get(section).get(name).asLong();
  }

  private static String details(String job) {
    return cli.runLog().where(col("job").equalTo(job)).collectAsList().get(0).getAs("details");
  }

  @Test
  void everyQueryDefectIsAccountedFor() {
    Dataset<Row> facts = table("gold", "fact_agent_query");
    assertThat(facts.count()).isEqualTo(truth("entities", "queries"));
    // Two distinct queries of one agent at one instant stay two facts.
    assertThat(
            facts
                .groupBy("agent_name", "created_at")
                .count()
                .where(col("count").equalTo(2))
                .count())
        .isEqualTo(truth("defects", "same_timestamp_pairs"));
    assertThat(facts.where(col("conversation_key").equalTo(Dimensions.UNKNOWN_KEY)).count())
        .isEqualTo(truth("defects", "null_conversation_queries"));
    assertThat(facts.where(col("agent_key").equalTo(Dimensions.UNKNOWN_KEY)).count())
        .isEqualTo(truth("defects", "unknown_agent_queries"));
    assertThat(details("agents-silver-queries"))
        .contains("\"rows_deduplicated\":" + truth("defects", "duplicate_queries"));
    Dataset<Row> quarantine = table("silver", "queries_quarantine");
    assertThat(quarantine.count()).isEqualTo(truth("defects", "malformed_json_lines"));
    assertThat(quarantine.where(col("rule").notEqual("malformed_record")).count()).isZero();
  }

  @Test
  void agentChangesAreVersionsAndApprovalsAreOneFactEach() {
    Dataset<Row> agents =
        table("gold", "dim_agent").where(col("agent_key").notEqual(Dimensions.UNKNOWN_KEY));
    assertThat(agents.count() - truth("entities", "agents"))
        .isEqualTo(truth("defects", "agent_changes"));
    Dataset<Row> approvals = table("gold", "fact_approval");
    assertThat(approvals.count()).isEqualTo(truth("entities", "approvals"));
    assertThat(table("silver", "approvals").count()).isEqualTo(truth("entities", "approval_rows"));
    assertThat(approvals.where(col("state_count").equalTo(2)).count())
        .isEqualTo(truth("defects", "approvals_redelivered"));
    assertThat(approvals.where(col("is_resolved")).count())
        .isEqualTo(truth("ground_truth", "approvals_resolved"));
    assertThat(approvals.where(col("status").equalTo("pending")).count())
        .isEqualTo(truth("ground_truth", "approvals_pending_at_end"));
    assertThat(table("gold", "dim_user").count() - 1).isEqualTo(truth("entities", "users"));
  }

  @Test
  void outOfRangeScoresAreQuarantinedAndMissingScoresAreNotZeros() {
    Dataset<Row> facts = table("gold", "fact_training");
    Dataset<Row> quarantine = table("silver", "feedback_quarantine");
    assertThat(quarantine.where(col("rule").endsWith("_score_out_of_range")).count())
        .isEqualTo(truth("defects", "out_of_range_scores"));
    assertThat(facts.count() + quarantine.count()).isEqualTo(truth("entities", "feedback"));
    long missingInFacts =
        facts.selectExpr("sum(3 - scores_present)").head().isNullAt(0)
            ? 0
            : facts.selectExpr("sum(3 - scores_present)").head().getLong(0);
    long missingInQuarantine =
        quarantine
            .selectExpr(
                "coalesce(sum(cast(get_json_object(record, '$.clarity_score') IS NULL AS int)"
                    + " + cast(get_json_object(record, '$.accuracy_score') IS NULL AS int)"
                    + " + cast(get_json_object(record, '$.tone_score') IS NULL AS int)), 0)")
            .head()
            .getLong(0);
    assertThat(missingInFacts + missingInQuarantine).isEqualTo(truth("defects", "missing_scores"));
    assertThat(facts.where(col("overall_score").lt(1).or(col("overall_score").gt(5))).count())
        .isZero();
    long unsafe =
        facts.where(col("safe_to_send").equalTo(false)).count()
            + quarantine.where("get_json_object(record, '$.safe_to_send') = 'false'").count();
    assertThat(unsafe).isEqualTo(truth("entities", "unsafe_feedback"));
  }

  @Test
  void theDailyAggregateEqualsAnIndependentComputationFromTheRawExtracts() {
    String root = raw.resolve("agents").toString();
    spark
        .read()
        .schema(
            "query_id STRING, agent STRING, conversation_id STRING, latency_ms BIGINT,"
                + " approved BOOLEAN, human_edited BOOLEAN, error_occurred BOOLEAN,"
                + " created_at STRING, _corrupt_record STRING")
        .json(root + "/agent_queries/dt=*/*.json")
        .createOrReplaceTempView("raw_queries");
    spark
        .read()
        .schema(
            "approval_id STRING, agent STRING, status STRING, created_at STRING,"
                + " resolved_at STRING, updated_at STRING")
        .json(root + "/agent_approvals/dt=*/*.json")
        .createOrReplaceTempView("raw_approvals");
    spark
        .read()
        .schema(
            "feedback_id STRING, agent STRING, safe_to_send BOOLEAN, clarity_score INT,"
                + " accuracy_score INT, tone_score INT, created_at STRING")
        .json(root + "/agent_feedback/dt=*/*.json")
        .createOrReplaceTempView("raw_feedback");
    spark
        .read()
        .option("header", "true")
        .option("escape", "\"")
        .csv(root + "/agents/dt=*/agents.csv")
        .createOrReplaceTempView("raw_agents");
    Dataset<Row> expected =
        spark.sql(
            String.join(
                "\n",
                "WITH queries AS (",
                "  SELECT DISTINCT query_id, agent, latency_ms, approved, human_edited,",
                "    error_occurred, CAST(created_at AS TIMESTAMP) AS created_at",
                "  FROM raw_queries WHERE _corrupt_record IS NULL),",
                "agent_versions AS (",
                "  SELECT DISTINCT agent_name, CAST(sla_target_seconds AS INT) AS sla,",
                "    CAST(updated_at AS TIMESTAMP) AS valid_from FROM raw_agents),",
                "latest AS (",
                "  SELECT approval_id, max(CAST(updated_at AS TIMESTAMP)) AS updated_at",
                "  FROM raw_approvals GROUP BY approval_id),",
                "approvals AS (",
                "  SELECT DISTINCT a.approval_id, a.agent, a.status,",
                "    CAST(a.created_at AS TIMESTAMP) AS created_at,",
                "    CAST(a.resolved_at AS TIMESTAMP) AS resolved_at",
                "  FROM raw_approvals a JOIN latest l ON a.approval_id = l.approval_id",
                "    AND CAST(a.updated_at AS TIMESTAMP) = l.updated_at),",
                "judged AS (",
                "  SELECT a.*, (SELECT max_by(v.sla, v.valid_from) FROM agent_versions v",
                "    WHERE v.agent_name = a.agent AND v.valid_from <= a.created_at) AS sla",
                "  FROM approvals a),",
                "feedback AS (",
                "  SELECT * FROM raw_feedback",
                "  WHERE coalesce(clarity_score, 1) BETWEEN 1 AND 5",
                "    AND coalesce(accuracy_score, 1) BETWEEN 1 AND 5",
                "    AND coalesce(tone_score, 1) BETWEEN 1 AND 5),",
                "q AS (",
                "  SELECT agent, to_date(created_at) AS date, count(*) AS queries,",
                "    round(avg(latency_ms), 6) AS avg_latency_ms,",
                "    round(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), 6) AS p95,",
                "    count(approved) AS decided, count_if(approved) AS approved,",
                "    count_if(human_edited) AS edited, count_if(error_occurred) AS errors",
                "  FROM queries GROUP BY 1, 2),",
                "ap AS (",
                "  SELECT agent, to_date(created_at) AS date, count(*) AS approvals,",
                "    count_if(status <> 'pending') AS resolved,",
                "    count_if(status <> 'pending' AND sla IS NOT NULL) AS judged,",
                "    count_if(status IN ('approved', 'rejected')",
                "      AND unix_millis(resolved_at) - unix_millis(created_at) <= sla * 1000) AS met",
                "  FROM judged GROUP BY 1, 2),",
                "fb AS (",
                "  SELECT agent, to_date(CAST(created_at AS TIMESTAMP)) AS date,",
                "    count(*) AS feedback, count_if(NOT safe_to_send) AS unsafe",
                "  FROM feedback GROUP BY 1, 2)",
                "SELECT coalesce(q.agent, ap.agent, fb.agent) AS agent_name,",
                "  coalesce(q.date, ap.date, fb.date) AS date,",
                "  coalesce(q.queries, 0) AS queries, q.avg_latency_ms, q.p95 AS p95_latency_ms,",
                "  round(q.approved / q.decided, 9) AS approval_rate,",
                "  round(q.edited / q.queries, 9) AS edit_rate,",
                "  round(q.errors / q.queries, 9) AS error_rate,",
                "  coalesce(ap.approvals, 0) AS approvals,",
                "  coalesce(ap.resolved, 0) AS approvals_resolved,",
                "  coalesce(ap.met, 0) AS approvals_sla_met,",
                "  round(ap.met / ap.judged, 9) AS sla_compliance,",
                "  coalesce(fb.feedback, 0) AS feedback_entries,",
                "  coalesce(fb.unsafe, 0) AS unsafe_feedback_count,",
                "  EXISTS (SELECT 1 FROM agent_versions v WHERE v.agent_name =",
                "    coalesce(q.agent, ap.agent, fb.agent)) AS is_known_agent",
                "FROM q FULL JOIN ap ON q.agent = ap.agent AND q.date = ap.date",
                "FULL JOIN fb ON coalesce(q.agent, ap.agent) = fb.agent",
                "  AND coalesce(q.date, ap.date) = fb.date"));
    Dataset<Row> actual =
        table("gold", "agg_agent_daily_performance")
            .selectExpr(
                "agent_name",
                "date",
                "queries",
                "round(avg_latency_ms, 6) AS avg_latency_ms",
                "round(p95_latency_ms, 6) AS p95_latency_ms",
                "round(approval_rate, 9) AS approval_rate",
                "round(edit_rate, 9) AS edit_rate",
                "round(error_rate, 9) AS error_rate",
                "approvals",
                "approvals_resolved",
                "approvals_sla_met",
                "round(sla_compliance, 9) AS sla_compliance",
                "feedback_entries",
                "unsafe_feedback_count",
                "is_known_agent");
    assertThat(actual.count()).isGreaterThan(100);
    assertSameRows(expected, actual);
  }
}
