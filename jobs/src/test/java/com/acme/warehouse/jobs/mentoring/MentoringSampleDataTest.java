package com.acme.warehouse.jobs.mentoring;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mentoring pipeline over generated sample data, checked against the generator's {@code
 * _truth.json}: the report recovers the planted rebooking probabilities, and every planted defect
 * is fixed, quarantined or flagged. The scale is {@code -Dmentoring.sample.scale} (default 0.1 to
 * keep the suite short; the closing note of issue #7 reports scale 1).
 */
class MentoringSampleDataTest extends SparkTestBase {
  private static final double SCALE =
      Double.parseDouble(System.getProperty("mentoring.sample.scale", "0.1"));

  private static JobsCli cli;
  private static JsonNode truth;
  private static String pipelineOutput;

  @BeforeAll
  static void runPipelineOnSampleData() throws IOException {
    Path raw = tempDir.resolve("mentoring-sample-raw");
    cli = new JobsCli(spark, raw.toString(), tempDir.resolve("mentoring-sample-wh").toString());
    assertThat(
            cli.run(
                "generate-sample-data",
                "--scale",
                Double.toString(SCALE),
                "--seed",
                "7",
                "--set",
                "sample-data.domains=[mentoring]"))
        .as(cli.err())
        .isEqualTo(0);
    assertThat(cli.run("pipeline", "--domain", "mentoring")).as(cli.err()).isEqualTo(0);
    pipelineOutput = cli.out();
    truth = new ObjectMapper().readTree(raw.resolve("mentoring/_truth.json").toFile());
  }

  private static Dataset<Row> table(String layer, String name) {
    return spark.read().format("delta").load(cli.location(layer, "mentoring", name));
  }

  private static long defect(String name) {
    return truth.get("defects").get(name).asLong();
  }

  private static Row report(String tierGroup) {
    List<Row> rows =
        table("gold", "rebooking_rate_by_tier")
            .where(col("cohort").equalTo("all").and(col("tier_group").equalTo(tierGroup)))
            .collectAsList();
    assertThat(rows).as(tierGroup).hasSize(1);
    return rows.get(0);
  }

  @Test
  void theReportCountsMatchTheGroundTruthAndTheIntervalsHoldThePlantedProbabilities() {
    JsonNode firsts = truth.get("ground_truth").get("first_session_tier");
    Row gold = report("Top tier");
    Row standard = report("Standard");

    assertThat(gold.<Long>getAs("users"))
        .isEqualTo(firsts.get("Gold").get("observable_users").asLong());
    assertThat(gold.<Long>getAs("rebooked")).isEqualTo(firsts.get("Gold").get("rebooked").asLong());
    assertThat(standard.<Long>getAs("users"))
        .isEqualTo(
            firsts.get("Silver").get("observable_users").asLong()
                + firsts.get("Bronze").get("observable_users").asLong());
    assertThat(standard.<Long>getAs("rebooked"))
        .isEqualTo(
            firsts.get("Silver").get("rebooked").asLong()
                + firsts.get("Bronze").get("rebooked").asLong());
    // The generator's configured probabilities (sample-data.mentoring.rebook-probability).
    assertThat(0.6).isBetween(gold.<Double>getAs("ci_low"), gold.<Double>getAs("ci_high"));
    assertThat(0.25).isBetween(standard.<Double>getAs("ci_low"), standard.<Double>getAs("ci_high"));
    assertThat(gold.<Double>getAs("fisher_p_value")).isLessThan(0.05);
    assertThat(pipelineOutput).contains("Do Top Tier mentors deliver better retention?");
  }

  @Test
  void malformedAndDuplicateEventsAreQuarantinedOrDeduplicatedAndEveryOtherEventIsKept() {
    long entities = truth.get("entities").get("events").asLong();

    assertThat(table("silver", "booking_events").count()).isEqualTo(entities);
    assertThat(
            table("silver", "booking_events_quarantine")
                .where(col("rule").equalTo("malformed_record"))
                .count())
        .isEqualTo(defect("malformed_json_lines"));
    assertThat(table("silver", "booking_events_quarantine").count())
        .isEqualTo(defect("malformed_json_lines"));
    Row run =
        cli.runLog()
            .where(col("job").equalTo("mentoring-silver-booking-events"))
            .collectAsList()
            .get(0);
    assertThat(run.<String>getAs("details"))
        .contains("\"rows_deduplicated\":" + defect("duplicate_events"));
  }

  @Test
  void missingSessionEndsAreEstimatedAndFlagged() {
    assertThat(table("silver", "sessions").where(col("is_duration_estimated")).count())
        .isEqualTo(defect("missing_session_ended"));
    assertThat(table("silver", "sessions").count())
        .isEqualTo(truth.get("entities").get("sessions").asLong());
  }

  @Test
  void orphanUsersAndMentorsPointAtTheUnknownMember() {
    Dataset<Row> events = table("silver", "booking_events");
    Dataset<Row> users = table("silver", "users").select("user_id").distinct();
    Dataset<Row> mentors = table("silver", "mentors").select("mentor_id").distinct();
    Dataset<Row> orphanUserEvents = events.join(users, "user_id", "left_anti");
    Dataset<Row> orphanMentorEvents = events.join(mentors, "mentor_id", "left_anti");

    assertThat(orphanUserEvents.count()).isEqualTo(defect("orphan_user_events"));
    assertThat(orphanUserEvents.select("user_id").distinct().count())
        .isEqualTo(defect("orphan_users"));
    assertThat(orphanMentorEvents.count()).isEqualTo(defect("orphan_mentor_events"));
    assertThat(orphanMentorEvents.select("mentor_id").distinct().count())
        .isEqualTo(defect("orphan_mentors"));
    assertThat(
            table("gold", "fct_bookings")
                .where(col("mentor_key").equalTo(Dimensions.UNKNOWN_KEY))
                .count())
        .isPositive();
  }

  @Test
  void noisyIdsTiersAndStatusesAreCanonicalAndUserIdsTyped() {
    assertThat(table("silver", "mentors").select("mentor_id").distinct().count())
        .isEqualTo(truth.get("entities").get("mentors_in_sheet").asLong());
    assertThat(
            table("silver", "mentors")
                .where(col("tier").isin("Gold", "Silver", "Bronze").equalTo(false))
                .count())
        .isZero();
    assertThat(
            table("silver", "users")
                .where(
                    col("status").isNotNull().and(col("status").rlike("^[a-z]+$").equalTo(false)))
                .count())
        .isZero();
    assertThat(table("silver", "booking_events").schema().apply("user_id").dataType().typeName())
        .isEqualTo("long");
    assertThat(table("silver", "mentors_quarantine").count()).isZero();
  }

  @Test
  void tierChangesAndDeletedUsersAreHistorised() {
    long mentorsWithHistory =
        table("silver", "mentors")
            .groupBy("mentor_id")
            .agg(org.apache.spark.sql.functions.countDistinct("tier").as("tiers"))
            .where(col("tiers").gt(1))
            .count();
    assertThat(mentorsWithHistory).isEqualTo(defect("tier_changes"));
    assertThat(table("silver", "users").where(col("is_deleted").and(col("is_current"))).count())
        .isEqualTo(defect("deleted_users"));
    assertThat(table("silver", "users").where(col("is_current")).count())
        .isEqualTo(truth.get("entities").get("users_exported").asLong());
  }
}
