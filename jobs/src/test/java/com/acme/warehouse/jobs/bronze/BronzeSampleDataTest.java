package com.acme.warehouse.jobs.bronze;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline --layer bronze} over generated sample data: every line the generator wrote is in
 * bronze, malformed ones included, and a second run adds nothing.
 */
class BronzeSampleDataTest extends SparkTestBase {
  private static JobsCli cli;
  private static Path raw;

  @BeforeAll
  static void ingestSampleData() {
    raw = tempDir.resolve("raw");
    cli = new JobsCli(spark, raw.toString(), tempDir.resolve("warehouse").toString());
    assertThat(cli.run("generate-sample-data", "--scale", "0.05", "--seed", "11")).isEqualTo(0);
    assertThat(cli.run("pipeline", "--layer", "bronze")).as(cli.err()).isEqualTo(0);
  }

  private static JsonNode truth(String domain) throws IOException {
    return new ObjectMapper().readTree(raw.resolve(domain).resolve("_truth.json").toFile());
  }

  private static long records(String domain, String source) {
    return BronzeTables.records(spark, cli.location("bronze", domain, source)).count();
  }

  private static long malformed(String domain, String source) {
    return BronzeTables.records(spark, cli.location("bronze", domain, source))
        .where(col("_is_malformed"))
        .count();
  }

  @Test
  void everyMentoringLineIsInBronze() throws IOException {
    JsonNode truth = truth("mentoring");
    JsonNode files = truth.get("files");
    assertThat(records("mentoring", "users")).isEqualTo(files.get("users").get("rows").asLong());
    assertThat(records("mentoring", "mentors"))
        .isEqualTo(files.get("mentors").get("rows").asLong());
    assertThat(records("mentoring", "booking_events"))
        .isEqualTo(files.get("booking_events").get("rows").asLong());
    assertThat(malformed("mentoring", "booking_events"))
        .isEqualTo(truth.get("defects").get("malformed_json_lines").asLong())
        .isPositive();
    assertThat(malformed("mentoring", "users")).isZero();
  }

  @Test
  void everyAgentsLineIsInBronze() throws IOException {
    JsonNode truth = truth("agents");
    JsonNode files = truth.get("files");
    for (String source :
        new String[] {"agents", "agent_queries", "agent_approvals", "agent_feedback"}) {
      assertThat(records("agents", source))
          .as(source)
          .isEqualTo(files.get(source).get("rows").asLong());
    }
    assertThat(malformed("agents", "agent_queries"))
        .isEqualTo(truth.get("defects").get("malformed_json_lines").asLong())
        .isPositive();
  }

  @Test
  void everyCommerceLineIsInBronze() throws IOException {
    JsonNode truth = truth("commerce");
    JsonNode base = truth.get("files").get("base");
    JsonNode refresh = truth.get("files").get("refresh");
    for (String table :
        new String[] {"region", "nation", "customer", "supplier", "part", "partsupp"}) {
      assertThat(records("commerce", table)).as(table).isEqualTo(base.get(table).asLong());
    }
    assertThat(records("commerce", "orders"))
        .isEqualTo(base.get("orders").asLong() + refresh.get("orders").asLong());
    assertThat(records("commerce", "lineitem"))
        .isEqualTo(base.get("lineitem").asLong() + refresh.get("lineitem").asLong());
    assertThat(records("commerce", "order_deletes")).isEqualTo(refresh.get("delete").asLong());
    assertThat(malformed("commerce", "lineitem")).isZero();
  }

  @Test
  void aSecondRunWithNoNewFilesIsSkippedOnTheListingAlone() {
    long before = records("mentoring", "booking_events");
    long earlierRuns = cli.runLog().count();

    assertThat(cli.run("pipeline", "--layer", "bronze", "--domain", "mentoring")).isEqualTo(0);

    assertThat(records("mentoring", "booking_events")).isEqualTo(before);
    List<Row> rerun = cli.runLog().orderBy("start_time").offset((int) earlierRuns).collectAsList();
    assertThat(rerun).isNotEmpty();
    for (Row run : rerun) {
      assertThat(run.<String>getAs("job")).startsWith("mentoring-bronze");
      assertThat(run.<String>getAs("status")).isEqualTo("skipped");
      assertThat(run.<String>getAs("details")).contains("\"reason\":\"inputs unchanged\"");
    }
    assertThat(cli.out())
        .containsPattern("mentoring-bronze-booking-events\\s+skipped\\s+0\\s+0\\s+0");
  }
}
