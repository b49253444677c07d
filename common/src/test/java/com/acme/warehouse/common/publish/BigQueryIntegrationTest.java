package com.acme.warehouse.common.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.typesafe.config.ConfigFactory;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Publishes a small table to real BigQuery and reads it back, twice (the same rows both times).
 * Runs only when {@code BQ_TEST_PROJECT} is set and Application Default Credentials are available
 * ({@code gcloud auth application-default login}, or a service account); otherwise it is reported
 * as skipped, with the reason. Optional: {@code BQ_TEST_DATASET} (default {@code warehouse_it},
 * must exist), {@code BQ_TEST_BUCKET} (indirect write through it; without it, direct write). The
 * connector comes from the test classpath.
 */
class BigQueryIntegrationTest extends SparkTestBase {
  @Test
  void writesAndReadsBackASmallTable() {
    String project = System.getenv("BQ_TEST_PROJECT");
    if (project == null || project.isBlank()) {
      System.out.println("SKIPPED BigQueryIntegrationTest: set BQ_TEST_PROJECT (and credentials)");
    }
    assumeTrue(
        project != null && !project.isBlank(),
        "BQ_TEST_PROJECT is not set: the real-BigQuery test is skipped");
    String dataset = Optional.ofNullable(System.getenv("BQ_TEST_DATASET")).orElse("warehouse_it");
    String bucket = Optional.ofNullable(System.getenv("BQ_TEST_BUCKET")).orElse("");
    TableId table = TableId.parse("gold.agents.publish_it");
    ConfigReader config =
        new ConfigReader(
            ConfigFactory.parseString(
                "bigquery.dataset = \""
                    + dataset
                    + "\"\ngold.tables.\"gold.agents.publish_it\" = {table = publish_it,"
                    + " write-mode = partitions, partition-field = created_at}"));
    BigQueryGoldSink sink =
        new BigQueryGoldSink(
            new BigQuerySettings(project, bucket.isEmpty() ? "direct" : "indirect", bucket),
            BigQueryTableSpec.from(config, table),
            new SparkBigQueryConnector(spark));
    Dataset<Row> gold =
        df(
            "query_id STRING, created_at TIMESTAMP, latency_ms BIGINT",
            "{\"query_id\":\"q1\",\"created_at\":\"2024-01-01T10:00:00Z\",\"latency_ms\":100}",
            "{\"query_id\":\"q2\",\"created_at\":\"2024-01-02T10:00:00Z\",\"latency_ms\":200}");

    for (int attempt = 0; attempt < 2; attempt++) {
      sink.publish(table, gold, Optional.empty());
      Dataset<Row> back =
          spark
              .read()
              .format("bigquery")
              .option("table", project + "." + dataset + ".publish_it")
              .load();
      assertSameRows(gold, back.select("query_id", "created_at", "latency_ms"));
      assertThat(back.count()).isEqualTo(2);
    }
  }
}
