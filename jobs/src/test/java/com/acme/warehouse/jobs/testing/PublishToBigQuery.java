package com.acme.warehouse.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.publish.BigQueryTableSpec;
import com.acme.warehouse.common.publish.standin.BigQueryStandIn;
import com.acme.warehouse.common.publish.standin.StandInTable;
import com.acme.warehouse.common.testing.DataFrameAssert;
import com.acme.warehouse.jobs.JobCatalog;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A domain's publish steps through the real spark-bigquery connector into the BigQuery stand-in,
 * then every gold table compared, row by row and column by column, with what BigQuery holds.
 */
public final class PublishToBigQuery {
  private PublishToBigQuery() {}

  /** Publishes every gold table of {@code domain}; returns the tables compared. */
  public static List<TableId> publishAndCompare(
      SparkSession spark, JobsCli cli, String domain, String stagingFolder) {
    Config config = ConfigLoader.fromClasspath().load(ConfigSources.defaults());
    ConfigReader reader = new ConfigReader(config);
    List<TableId> compared = new ArrayList<>();
    try (BigQueryStandIn bigQuery = BigQueryStandIn.start(spark)) {
      List<String> publish =
          new ArrayList<>(List.of("pipeline", "--domain", domain, "--layer", "publish"));
      publish.addAll(bigQuery.cliSettings("acme-test", stagingFolder));
      assertThat(cli.run(publish.toArray(new String[0]))).as(cli.err()).isEqualTo(0);
      for (JobDefinition job : JobCatalog.registry(config).jobs()) {
        if (job.layer() != Layer.GOLD || !job.domain().equals(java.util.Optional.of(domain))) {
          continue;
        }
        for (TableId table : job.outputs()) {
          BigQueryTableSpec spec = BigQueryTableSpec.from(reader, table);
          Dataset<Row> gold =
              spark.read().format("delta").load(cli.location("gold", domain, table.name()));
          StandInTable published =
              bigQuery
                  .table("acme-test." + spec.dataset() + "." + spec.table())
                  .orElseThrow(() -> new AssertionError(table + " did not reach BigQuery"));
          DataFrameAssert.assertSameRows(gold, published.asDataFrame(spark, gold.schema()));
          compared.add(table);
        }
      }
      assertThat(bigQuery.takeUnsupported()).isEmpty();
    }
    return compared;
  }
}
