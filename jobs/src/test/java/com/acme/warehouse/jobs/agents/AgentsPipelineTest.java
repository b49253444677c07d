package com.acme.warehouse.jobs.agents;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.publish.standin.BigQueryStandIn;
import com.acme.warehouse.common.publish.standin.StandInTable;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agents pipeline on hand-built extracts in two deliveries, every expectation worked out by
 * hand. Delivery 1 (agents export of 2024-01-01, events of 2024-01-08) and delivery 2 (export of
 * 2024-01-15, where bot-a's SLA target moves from 300 s to 600 s as of 2024-01-10; events of
 * 2024-01-15, where approval a1 comes again, now approved) run incrementally; a full refresh must
 * give the same gold tables. The fiscal year starts in April here.
 */
class AgentsPipelineTest extends SparkTestBase {
  private static JobsCli cli;
  private static Path raw;
  private static final List<String> afterFirstRun = new ArrayList<>();
  private static String factsOfTheSecondRun;
  private static String dailyOfTheSecondRun;
  private static String dimensionsOfTheSecondRun;

  @BeforeAll
  static void runTwoDeliveriesIncrementally() throws IOException {
    raw = tempDir.resolve("agents-raw");
    cli =
        new JobsCli(spark, raw.toString(), tempDir.resolve("agents-wh").toString())
            .always("--set", "gold.fiscal-year-start-month=4")
            // Recompute in place however large the share (these tables have a handful of rows).
            .always("--set", "gold.incremental-max-fraction=1");
    // The JVM's default zone is west of UTC for the first run and east of it for the second (the
    // session zone as configured): every expectation below is worked out in UTC, and the full
    // refresh, run in the test's own zone, must give the same tables. Instants stored or compared
    // (watermarks included) are zone-free.
    TimeZone original = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
      writeFirstDelivery();
      assertThat(cli.run("pipeline", "--domain", "agents")).as(cli.err()).isEqualTo(0);
      for (Row row : daily("bot-a", "2024-01-02").collectAsList()) {
        afterFirstRun.add(row.getAs("approvals_resolved") + "/" + row.getAs("sla_compliance"));
      }
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
      writeSecondDelivery();
      assertThat(cli.run("pipeline", "--domain", "agents")).as(cli.err()).isEqualTo(0);
    } finally {
      TimeZone.setDefault(original);
    }
    factsOfTheSecondRun = cli.lastRun("agents-gold-facts").getAs("details");
    dailyOfTheSecondRun = cli.lastRun("agents-gold-daily-performance").getAs("details");
    dimensionsOfTheSecondRun = cli.lastRun("agents-gold-dimensions").getAs("details");
  }

  // ------------------------------------------------------------------ fixtures

  private static void writeFirstDelivery() throws IOException {
    write(
        "agents/agents/dt=2024-01-01/agents.csv",
        "agent_name,agent_type,capabilities,sla_target_seconds,cost_per_query_usd,updated_at",
        "bot-a,support,\"[\"\"search\"\",\"\"email\"\"]\",300,0.0100,2023-12-01T00:00:00Z",
        "bot-b,data,\"[\"\"sql\"\"]\",60,0.0500,2023-12-01T00:00:00Z");
    List<String> queries = new ArrayList<>();
    String q1 = query("q1", "bot-a", "c1", 100, "true", false, false, "2024-01-02T10:00:00Z");
    queries.add(q1);
    // A second, distinct query of the same agent at the very same instant.
    queries.add(query("q2", "bot-a", "c1", 200, "null", true, false, "2024-01-02T10:00:00Z"));
    queries.add(query("q3", "bot-a", null, 300, "false", false, true, "2024-01-02T15:30:00Z"));
    queries.add(
        query("q4", "ghost-agent", "c2", 400, "null", false, false, "2024-01-03T09:00:00Z"));
    queries.add(q1); // an exact copy
    queries.add("{\"query_id\": \"q9\", \"agent\": ");
    // bot-b on 2024-01-04: latencies 100, 200, ..., 2000 ms.
    for (int i = 1; i <= 20; i++) {
      queries.add(
          query(
              "b" + i,
              "bot-b",
              "c3",
              100 * i,
              "null",
              false,
              false,
              String.format("2024-01-04T%02d:00:00Z", i % 24)));
    }
    write("agents/agent_queries/dt=2024-01-08/part-0.json", queries.toArray(new String[0]));
    write(
        "agents/agent_approvals/dt=2024-01-08/part-0.json",
        approval("a1", "bot-a", "c1", null, "pending", "2024-01-02T10:00:10Z", null),
        // Resolved after 480 s against bot-a's target of 300 s: missed.
        approval(
            "a3",
            "bot-a",
            "c1",
            "approver-1",
            "rejected",
            "2024-01-03T08:00:00Z",
            "2024-01-03T08:08:00Z"),
        approval("a4", "ghost-agent", null, null, "pending", "2024-01-03T09:00:05Z", null));
    write(
        "agents/agent_feedback/dt=2024-01-08/part-0.json",
        feedback(
            "f1",
            "bot-a",
            "c1",
            "ann-1",
            "annotator",
            "team-a",
            true,
            "4",
            "5",
            "null",
            "[\"helpful\",\"correct\"]",
            "2024-01-02T11:00:00Z"),
        feedback(
            "f2",
            "bot-a",
            "c1",
            "ann-2",
            "qa_team",
            "team-b",
            true,
            "3",
            "7",
            "2",
            "[]",
            "2024-01-02T11:30:00Z"),
        feedback(
            "f3",
            "bot-a",
            null,
            "ann-1",
            "annotator",
            "team-a",
            false,
            "2",
            "2",
            "2",
            "[]",
            "2024-01-02T12:00:00Z"),
        feedback(
            "f4",
            "bot-b",
            "c3",
            "ann-2",
            "qa_team",
            "team-b",
            true,
            "null",
            "null",
            "null",
            "null",
            "2024-01-04T12:00:00Z"));
  }

  private static void writeSecondDelivery() throws IOException {
    write(
        "agents/agents/dt=2024-01-15/agents.csv",
        "agent_name,agent_type,capabilities,sla_target_seconds,cost_per_query_usd,updated_at",
        "bot-a,support,\"[\"\"email\"\",\"\"search\"\"]\",600,0.0100,2024-01-10T00:00:00Z",
        "bot-b,data,\"[\"\"sql\"\"]\",60,0.0500,2023-12-01T00:00:00Z");
    write(
        "agents/agent_queries/dt=2024-01-15/part-0.json",
        query("q3", "bot-a", null, 300, "false", false, true, "2024-01-02T15:30:00Z"),
        query("q5", "bot-a", "c4", 500, "true", false, false, "2024-01-11T08:00:00Z"));
    write(
        "agents/agent_approvals/dt=2024-01-15/part-0.json",
        // a1 again, now approved 240 s after creation: within the 300 s valid at its creation.
        approval(
            "a1",
            "bot-a",
            "c1",
            "approver-1",
            "approved",
            "2024-01-02T10:00:10Z",
            "2024-01-02T10:04:10Z"),
        // 480 s again, now against the 600 s target valid since 2024-01-10: met.
        approval(
            "a2",
            "bot-a",
            "c4",
            "approver-1",
            "approved",
            "2024-01-11T08:00:00Z",
            "2024-01-11T08:08:00Z"));
  }

  private static String query(
      String id,
      String agent,
      String conversation,
      long latency,
      String approved,
      boolean edited,
      boolean error,
      String at) {
    return "{\"query_id\":\""
        + id
        + "\",\"agent\":\""
        + agent
        + "\",\"conversation_id\":"
        + quoted(conversation)
        + ",\"query\":\"show refunds\",\"latency_ms\":"
        + latency
        + ",\"approved\":"
        + approved
        + ",\"human_edited\":"
        + edited
        + ",\"error_occurred\":"
        + error
        + ",\"result_size_bytes\":2048,\"created_at\":\""
        + at
        + "\"}";
  }

  private static String approval(
      String id,
      String agent,
      String conversation,
      String approver,
      String status,
      String created,
      String resolved) {
    return "{\"approval_id\":\""
        + id
        + "\",\"agent\":\""
        + agent
        + "\",\"conversation_id\":"
        + quoted(conversation)
        + ",\"approved_by\":"
        + quoted(approver)
        + ",\"status\":\""
        + status
        + "\",\"interruption_count\":0,\"created_at\":\""
        + created
        + "\",\"resolved_at\":"
        + quoted(resolved)
        + ",\"updated_at\":\""
        + (resolved == null ? created : resolved)
        + "\"}";
  }

  private static String feedback(
      String id,
      String agent,
      String conversation,
      String annotator,
      String type,
      String team,
      boolean safe,
      String clarity,
      String accuracy,
      String tone,
      String labels,
      String at) {
    return "{\"feedback_id\":\""
        + id
        + "\",\"agent\":\""
        + agent
        + "\",\"conversation_id\":"
        + quoted(conversation)
        + ",\"annotator\":\""
        + annotator
        + "\",\"annotator_type\":\""
        + type
        + "\",\"team\":\""
        + team
        + "\",\"safe_to_send\":"
        + safe
        + ",\"clarity_score\":"
        + clarity
        + ",\"accuracy_score\":"
        + accuracy
        + ",\"tone_score\":"
        + tone
        + ",\"labels\":"
        + labels
        + ",\"created_at\":\""
        + at
        + "\",\"annotated_at\":\""
        + at
        + "\"}";
  }

  private static String quoted(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }

  private static void write(String relative, String... lines) throws IOException {
    Path file = raw.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  private static Dataset<Row> table(String layer, String name) {
    return spark.read().format("delta").load(cli.location(layer, "agents", name));
  }

  private static Row one(Dataset<Row> rows) {
    List<Row> list = rows.collectAsList();
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  private static Dataset<Row> daily(String agent, String date) {
    return table("gold", "agg_agent_daily_performance")
        .where(col("agent_name").equalTo(agent).and(col("date").equalTo(date)));
  }

  private static String agentKey(String agent, String validFrom) {
    return one(table("gold", "dim_agent")
            .where(col("agent_name").equalTo(agent))
            .where(col("valid_from").equalTo(java.sql.Timestamp.valueOf(validFrom))))
        .getAs("agent_key");
  }

  // ------------------------------------------------------------------ expectations

  @Test
  void aRerunWithNothingNewSkipsEveryJobAndChangesNoTable() throws IOException {
    cli.assertRerunSkipsEveryJob("agents");
  }

  @Test
  void twoQueriesAtTheSameInstantAreTwoFactsAndCopiesAreNot() {
    Dataset<Row> sameInstant =
        table("gold", "fact_agent_query")
            .where(col("created_at").equalTo(java.sql.Timestamp.valueOf("2024-01-02 10:00:00")));
    assertThat(
            sameInstant
                .select("query_id")
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactlyInAnyOrder("q1", "q2");
    // q1..q5 and b1..b20; q1 and q3 came twice.
    assertThat(table("gold", "fact_agent_query").count()).isEqualTo(25);
    Row malformed = one(table("silver", "queries_quarantine"));
    assertThat(malformed.<String>getAs("rule")).isEqualTo("malformed_record");
  }

  @Test
  void anApprovalDeliveredPendingThenApprovedIsOneFactWithItsResolutionTimeAndSla() {
    Row a1 = one(table("gold", "fact_approval").where(col("approval_id").equalTo("a1")));
    assertThat(a1.<String>getAs("status")).isEqualTo("approved");
    assertThat(a1.<Boolean>getAs("is_resolved")).isTrue();
    assertThat(a1.<BigDecimal>getAs("resolution_seconds")).isEqualByComparingTo("240");
    assertThat(a1.<Integer>getAs("sla_target_seconds")).isEqualTo(300);
    assertThat(a1.<Boolean>getAs("sla_met")).isTrue();
    assertThat(a1.<Long>getAs("state_count")).isEqualTo(2);
    assertThat(a1.<String>getAs("agent_key")).isEqualTo(agentKey("bot-a", "2023-12-01 00:00:00"));
    assertThat(a1.<Integer>getAs("resolved_date_key")).isEqualTo(20240102);
    Row approver =
        one(
            table("gold", "dim_user")
                .where(col("user_key").equalTo(a1.<String>getAs("approver_key"))));
    assertThat(approver.<String>getAs("user_name")).isEqualTo("approver-1");
    assertThat(approver.<String>getAs("user_type")).isEqualTo("approver");
    // Silver keeps both states.
    assertThat(table("silver", "approvals").where(col("approval_id").equalTo("a1")).count())
        .isEqualTo(2);
    // After the first delivery a1 was pending: resolved 0 and no compliance yet.
    assertThat(afterFirstRun).containsExactly("0/null");
  }

  @Test
  void theSlaTargetIsTheOneValidWhenTheApprovalWasCreated() {
    Row a3 = one(table("gold", "fact_approval").where(col("approval_id").equalTo("a3")));
    Row a2 = one(table("gold", "fact_approval").where(col("approval_id").equalTo("a2")));
    assertThat(a3.<BigDecimal>getAs("resolution_seconds")).isEqualByComparingTo("480");
    assertThat(a2.<BigDecimal>getAs("resolution_seconds")).isEqualByComparingTo("480");
    assertThat(a3.<Integer>getAs("sla_target_seconds")).isEqualTo(300);
    assertThat(a3.<Boolean>getAs("sla_met")).isFalse();
    assertThat(a2.<Integer>getAs("sla_target_seconds")).isEqualTo(600);
    assertThat(a2.<Boolean>getAs("sla_met")).isTrue();
    assertThat(a2.<String>getAs("agent_key")).isEqualTo(agentKey("bot-a", "2024-01-10 00:00:00"));
    Row current =
        one(
            table("gold", "dim_agent")
                .where(col("agent_name").equalTo("bot-a").and(col("is_current"))));
    assertThat(current.<scala.collection.Seq<String>>getAs("capabilities").mkString(","))
        .isEqualTo("email,search");
    assertThat(table("gold", "dim_agent").where(col("agent_name").equalTo("bot-a")).count())
        .isEqualTo(2);
  }

  @Test
  void aMissingConversationIsTheUnknownMemberNeverANullKeyOrADroppedRow() {
    Row q3 = one(table("gold", "fact_agent_query").where(col("query_id").equalTo("q3")));
    assertThat(q3.<String>getAs("conversation_key")).isEqualTo(Dimensions.UNKNOWN_KEY);
    assertThat(q3.<Integer>getAs("time_of_day_key")).isEqualTo(15);
    Row f3 = one(table("gold", "fact_training").where(col("feedback_id").equalTo("f3")));
    assertThat(f3.<String>getAs("conversation_key")).isEqualTo(Dimensions.UNKNOWN_KEY);
    Row a4 = one(table("gold", "fact_approval").where(col("approval_id").equalTo("a4")));
    assertThat(a4.<String>getAs("conversation_key")).isEqualTo(Dimensions.UNKNOWN_KEY);
    assertThat(a4.<String>getAs("approver_key")).isEqualTo(Dimensions.UNKNOWN_KEY);
    assertThat(
            one(table("gold", "dim_conversation")
                    .where(col("conversation_key").equalTo(Dimensions.UNKNOWN_KEY)))
                .<String>getAs("conversation_id"))
        .isEqualTo("Unknown");
    Row c1 = one(table("gold", "dim_conversation").where(col("conversation_id").equalTo("c1")));
    // q1, q2; a1, a3; f1 (f2 was quarantined).
    assertThat(c1.<Long>getAs("query_count")).isEqualTo(2);
    assertThat(c1.<Long>getAs("approval_count")).isEqualTo(2);
    assertThat(c1.<Long>getAs("feedback_count")).isEqualTo(1);
  }

  @Test
  void anUnknownAgentIsTheUnknownMemberAndKeepsItsOwnDailyRow() {
    Row q4 = one(table("gold", "fact_agent_query").where(col("query_id").equalTo("q4")));
    assertThat(q4.<String>getAs("agent_key")).isEqualTo(Dimensions.UNKNOWN_KEY);
    Row a4 = one(table("gold", "fact_approval").where(col("approval_id").equalTo("a4")));
    assertThat(a4.<String>getAs("agent_key")).isEqualTo(Dimensions.UNKNOWN_KEY);
    assertThat(a4.<String>getAs("status")).isEqualTo("pending");
    assertThat(a4.<Object>getAs("sla_met")).isNull();
    Row ghost = one(daily("ghost-agent", "2024-01-03"));
    assertThat(ghost.<Boolean>getAs("is_known_agent")).isFalse();
    assertThat(ghost.<String>getAs("agent_key")).isEqualTo(Dimensions.UNKNOWN_KEY);
    assertThat(ghost.<Long>getAs("queries")).isEqualTo(1);
    assertThat(ghost.<Long>getAs("approvals")).isEqualTo(1);
    assertThat(ghost.<Long>getAs("approvals_resolved")).isEqualTo(0);
  }

  @Test
  void missingScoresAreLeftOutOfTheMeanAndOutOfRangeScoresAreQuarantined() {
    Row f1 = one(table("gold", "fact_training").where(col("feedback_id").equalTo("f1")));
    assertThat(f1.<Double>getAs("overall_score")).isEqualTo(4.5);
    assertThat(f1.<Integer>getAs("scores_present")).isEqualTo(2);
    assertThat(f1.<Object>getAs("tone_score")).isNull();
    assertThat(f1.<scala.collection.Seq<String>>getAs("labels").mkString(","))
        .isEqualTo("correct,helpful");
    Row f4 = one(table("gold", "fact_training").where(col("feedback_id").equalTo("f4")));
    assertThat(f4.<Object>getAs("overall_score")).isNull();
    assertThat(table("gold", "fact_training").where(col("feedback_id").equalTo("f2")).count())
        .isZero();
    Row f2 = one(table("silver", "feedback_quarantine"));
    assertThat(f2.<String>getAs("rule")).isEqualTo("accuracy_score_out_of_range");
    assertThat(f2.<String>getAs("reason")).isEqualTo("accuracy_score 7 is outside 1-5");
    Row annotator = one(table("gold", "dim_user").where(col("user_name").equalTo("ann-1")));
    assertThat(annotator.<String>getAs("user_type")).isEqualTo("annotator");
    assertThat(annotator.<String>getAs("team")).isEqualTo("team-a");
  }

  @Test
  void theP95IsExactOnAKnownLatencyList() {
    // 100..2000 ms: rank 0.95 x 19 = 18.05, so 1900 + 0.05 x (2000 - 1900).
    Row b = one(daily("bot-b", "2024-01-04"));
    assertThat(b.<Double>getAs("p95_latency_ms")).isEqualTo(1905.0);
    assertThat(b.<Double>getAs("avg_latency_ms")).isEqualTo(1050.0);
    assertThat(b.<Long>getAs("queries")).isEqualTo(20);
    assertThat(b.<Long>getAs("feedback_entries")).isEqualTo(1);
  }

  @Test
  void everyDailyFigureOfOneAgentAndDay() {
    Row a = one(daily("bot-a", "2024-01-02"));
    assertThat(a.<Boolean>getAs("is_known_agent")).isTrue();
    assertThat(a.<String>getAs("agent_key")).isEqualTo(agentKey("bot-a", "2023-12-01 00:00:00"));
    assertThat(a.<Integer>getAs("date_key")).isEqualTo(20240102);
    // q1 (100 ms, approved), q2 (200, edited, no decision), q3 (300, rejected, error).
    assertThat(a.<Long>getAs("queries")).isEqualTo(3);
    assertThat(a.<Double>getAs("avg_latency_ms")).isEqualTo(200.0);
    // rank 0.95 x 2 = 1.9: 200 + 0.9 x 100.
    assertThat(a.<Double>getAs("p95_latency_ms")).isEqualTo(290.0);
    assertThat(a.<Double>getAs("approval_rate")).isEqualTo(0.5);
    assertThat(a.<Double>getAs("edit_rate")).isEqualTo(1.0 / 3);
    assertThat(a.<Double>getAs("error_rate")).isEqualTo(1.0 / 3);
    assertThat(a.<Long>getAs("approvals")).isEqualTo(1);
    assertThat(a.<Long>getAs("approvals_resolved")).isEqualTo(1);
    assertThat(a.<Long>getAs("approvals_sla_met")).isEqualTo(1);
    assertThat(a.<Double>getAs("sla_compliance")).isEqualTo(1.0);
    // f1 and f3 (f2 was quarantined); f3 is not safe to send.
    assertThat(a.<Long>getAs("feedback_entries")).isEqualTo(2);
    assertThat(a.<Long>getAs("unsafe_feedback_count")).isEqualTo(1);
    for (String column : a.schema().fieldNames()) {
      assertThat(a.<Object>getAs(column)).as(column).isNotNull();
    }
    Row missed = one(daily("bot-a", "2024-01-03"));
    assertThat(missed.<Double>getAs("sla_compliance")).isEqualTo(0.0);
    assertThat(missed.<Long>getAs("queries")).isZero();
  }

  @Test
  void theDateDimensionCarriesTheConfiguredFiscalYear() {
    Row day = one(table("gold", "dim_date").where(col("date_key").equalTo(20240102)));
    // Fiscal years start in April: January 2024 is the fourth quarter of fiscal 2024.
    assertThat(day.<Integer>getAs("fiscal_year")).isEqualTo(2024);
    assertThat(day.<Integer>getAs("fiscal_quarter")).isEqualTo(4);
    assertThat(table("gold", "dim_time_of_day").count()).isEqualTo(24);
  }

  @Test
  void publishStepsRunOnlyWhenAskedForWithTheDeltaSinkAndRepublishNothingUnchanged() {
    assertThat(cli.runLog().where(col("job").contains("-publish-")).count()).isZero();
    assertThat(cli.run("pipeline", "--domain", "agents", "--layer", "publish"))
        .as(cli.err())
        .isEqualTo(0);
    List<Row> runs =
        cli.runLog().where(col("job").equalTo("agents-publish-fact-agent-query")).collectAsList();
    assertThat(runs.get(0).<String>getAs("details"))
        .contains("\"mode\":\"in_place\"")
        .contains("\"sink\":\"delta\"");
  }

  @Test
  void everyGoldTableReachesBigQueryWithItsRowsAndARepublishSendsNothing() {
    List<String> tables =
        List.of(
            "dim_agent",
            "dim_conversation",
            "dim_user",
            "dim_date",
            "dim_time_of_day",
            "fact_agent_query",
            "fact_approval",
            "fact_training",
            "agg_agent_daily_performance");
    try (BigQueryStandIn bigQuery = BigQueryStandIn.start(spark)) {
      List<String> publish =
          new ArrayList<>(List.of("pipeline", "--domain", "agents", "--layer", "publish"));
      publish.addAll(bigQuery.cliSettings("acme-test", path("bq-staging")));
      assertThat(cli.run(publish.toArray(new String[0]))).as(cli.err()).isEqualTo(0);
      for (String name : tables) {
        Dataset<Row> gold = table("gold", name);
        StandInTable published = bigQuery.table("acme-test.warehouse.agents_" + name).orElseThrow();
        assertSameRows(gold, published.asDataFrame(spark, gold.schema()));
      }
      assertThat(
              bigQuery
                  .table("acme-test.warehouse.agents_fact_agent_query")
                  .orElseThrow()
                  .partitioning())
          .isEqualTo("interval(type:day,field:created_at)");
      Row run = cli.lastRun("agents-publish-fact-agent-query");
      assertThat(run.<String>getAs("details"))
          .contains("\"sink\":\"bigquery\"")
          .contains("\"mode\":\"replaced\"")
          .containsPattern(
              "\"parity\":\"4 partitions, 25 rows, sums of \\[date_key, time_of_day_key,"
                  + " latency_ms, result_size_bytes\\] equal in BigQuery and gold\"");

      int jobs = bigQuery.jobs().size();
      publish.addAll(List.of("--run-date", "2024-01-16"));
      assertThat(cli.run(publish.toArray(new String[0]))).as(cli.err()).isEqualTo(0);
      assertThat(bigQuery.jobs()).hasSize(jobs);
      Row again = cli.lastRun("agents-publish-fact-agent-query");
      assertThat(again.<String>getAs("details"))
          .contains("\"mode\":\"unchanged\"")
          .contains("\"run_date\":\"2024-01-16\"");
      assertThat(again.<String>getAs("watermark_before")).isEqualTo(run.getAs("watermark_after"));
      assertThat(bigQuery.takeUnsupported()).isEmpty();
    }
  }

  /**
   * The second delivery touches bot-a only (a new SLA target as of 01-10, a query, two approvals):
   * what changed (query q5, approvals a1 and a2) and bot-a's facts since its move (q5, a2) are
   * recomputed, with their days (01-02 for a1, 01-11); not bot-a's earlier facts (q1 q2 q3, a3, f1
   * f3: keyed to the version before the move, which they keep), nothing of bot-b or ghost-agent; of
   * the conversations, c1 (a1's) and c4 (new: q5, a2), not c2 or c3. The full refresh below must
   * agree.
   */
  @Test
  void theSecondDeliveryRecomputesOnlyTheFactsAndDaysItTouched() {
    assertThat(factsOfTheSecondRun)
        .contains(
            "\"fact_agent_query_mode\":\"incremental\"",
            "\"fact_agent_query_recomputed\":1",
            "\"fact_approval_mode\":\"incremental\"",
            "\"fact_approval_recomputed\":2",
            "\"fact_training_mode\":\"incremental\"",
            "\"fact_training_recomputed\":0");
    assertThat(dailyOfTheSecondRun)
        .contains("\"mode\":\"incremental\"", "\"agent_days_recomputed\":2");
    assertThat(dimensionsOfTheSecondRun)
        .contains("\"dim_conversation_mode\":\"incremental\"", "\"dim_conversation_recomputed\":2");
  }

  @Test
  void aFullRefreshGivesTheSameGoldTables() {
    List<String> compared =
        List.of(
            "dim_agent",
            "dim_conversation",
            "dim_user",
            "dim_date",
            "fact_agent_query",
            "fact_approval",
            "fact_training",
            "agg_agent_daily_performance");
    List<List<Row>> before = new ArrayList<>();
    for (String name : compared) {
      before.add(table("gold", name).collectAsList());
    }
    assertThat(cli.run("pipeline", "--domain", "agents", "--full-refresh"))
        .as(cli.err())
        .isEqualTo(0);
    for (int i = 0; i < compared.size(); i++) {
      Dataset<Row> now = table("gold", compared.get(i));
      assertSameRows(spark.createDataFrame(before.get(i), now.schema()), now);
    }
  }
}
