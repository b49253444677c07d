package com.acme.warehouse.common.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The same publish path against real BigQuery: first publish (table created with its partitioning),
 * a partition overwrite of one changed day, and the parity check of both (which reads back counts
 * and sums with a query job and fails the publish on any difference). Runs only when {@code
 * BQ_TEST_PROJECT} is set and Application Default Credentials are available ({@code gcloud auth
 * application-default login}, or a service account); otherwise it is reported as skipped, with the
 * reason. {@code BQ_TEST_DATASET} (default {@code warehouse_it}, must exist) and {@code
 * BQ_TEST_BUCKET} (the staging bucket, required: loads are indirect). Each run writes a new table,
 * {@code publish_it_<random>}, and drops it at the end.
 */
class BigQueryIntegrationTest extends SparkTestBase {
  private static final String DDL = "query_id STRING, created_at TIMESTAMP, latency_ms BIGINT";

  @Test
  void publishesToRealBigQueryReplacesOnePartitionAndChecksParity() {
    String project = System.getenv("BQ_TEST_PROJECT");
    String bucket = System.getenv("BQ_TEST_BUCKET");
    boolean configured = project != null && !project.isBlank() && bucket != null;
    if (!configured) {
      System.out.println(
          "SKIPPED BigQueryIntegrationTest: set BQ_TEST_PROJECT, BQ_TEST_BUCKET (and credentials)");
    }
    assumeTrue(configured, "BQ_TEST_PROJECT / BQ_TEST_BUCKET not set: real BigQuery skipped");
    String dataset = Optional.ofNullable(System.getenv("BQ_TEST_DATASET")).orElse("warehouse_it");
    String name = "publish_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    TableId table = TableId.parse("gold.agents.publish_it");
    ConfigReader config =
        new ConfigReader(
            ConfigFactory.parseString(
                "bigquery.dataset = \""
                    + dataset
                    + "\"\ngold.tables.\"gold.agents.publish_it\" = {table = "
                    + name
                    + ", write-mode = partitions, partition-field = created_at}"));
    BigQuerySettings settings = new BigQuerySettings(project, "indirect", bucket);
    BigQueryGoldSink sink = new BigQueryGoldSink(settings, BigQueryTableSpec.from(config, table));
    Dataset<Row> first =
        df(
            DDL,
            "{\"query_id\":\"q1\",\"created_at\":\"2024-01-01T10:00:00Z\",\"latency_ms\":100}",
            "{\"query_id\":\"q2\",\"created_at\":\"2024-01-02T10:00:00Z\",\"latency_ms\":200}");
    Dataset<Row> second =
        df(
            DDL,
            "{\"query_id\":\"q1\",\"created_at\":\"2024-01-01T10:00:00Z\",\"latency_ms\":100}",
            "{\"query_id\":\"q2\",\"created_at\":\"2024-01-02T10:00:00Z\",\"latency_ms\":250}");
    try {
      Publication created = sink.publish(table, first, Optional.empty());
      assertThat(created.mode).isEqualTo(Publication.REPLACED);
      assertThat(created.parity).startsWith("2 partitions, 2 rows");

      Publication replaced = sink.publish(table, second, Optional.of(first));
      assertThat(replaced.mode).isEqualTo(Publication.PARTITIONS);
      assertThat(replaced.partitions).containsExactly("2024-01-02");
      assertThat(replaced.parity).startsWith("1 partitions, 1 rows");

      List<List<String>> rows =
          BigQueryApi.connect(settings)
              .query(
                  "SELECT query_id, CAST(latency_ms AS STRING) FROM `"
                      + project
                      + "."
                      + dataset
                      + "."
                      + name
                      + "` ORDER BY query_id",
                  List.of());
      assertThat(rows).containsExactly(List.of("q1", "100"), List.of("q2", "250"));
    } finally {
      BigQueryApi.connect(settings)
          .deleteIfExists(
              new com.google.api.services.bigquery.model.TableReference()
                  .setProjectId(project)
                  .setDatasetId(dataset)
                  .setTableId(name));
    }
  }
}
