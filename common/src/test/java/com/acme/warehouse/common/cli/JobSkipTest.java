package com.acme.warehouse.common.cli;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.testing.SparkTestBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * A job whose inputs, outputs and config are as its last successful run left them is skipped
 * without reading data; anything that moved runs it, and the run log says what moved.
 */
class JobSkipTest extends SparkTestBase {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final String warehouse = path("skip-warehouse");

  /** One job: copies bronze.demo.source (written by the test) into silver.demo.copy. */
  private static JobRegistry registry(com.typesafe.config.Config config) {
    return new JobRegistry(
        List.of(
            JobDefinition.builder("demo-bronze-source")
                .layer(Layer.BRONZE)
                .domain("demo")
                .inputs("raw.demo.source")
                .outputs("bronze.demo.source")
                .factory((c, app) -> context -> JobResult.builder().build())
                .build(),
            JobDefinition.builder("demo-silver-copy")
                .layer(Layer.SILVER)
                .domain("demo")
                .inputs("bronze.demo.source")
                .outputs("silver.demo.copy")
                .factory(
                    (c, app) ->
                        context -> {
                          long rows =
                              context
                                  .spark()
                                  .read()
                                  .format("delta")
                                  .load(context.location(TableId.parse("bronze.demo.source")))
                                  .count();
                          context
                              .spark()
                              .range(rows)
                              .write()
                              .format("delta")
                              .mode("overwrite")
                              .save(context.location(TableId.parse("silver.demo.copy")));
                          return JobResult.builder().rowsRead(rows).rowsWritten(rows).build();
                        })
                .build()));
  }

  private int run(String... args) {
    out.reset();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--set", "paths.warehouse=" + warehouse, "--set", "paths.raw=" + path("r")));
    return new Cli(
            "warehouse",
            JobSkipTest::registry,
            ConfigLoader.fromDirectory(java.nio.file.Path.of("..", "conf")),
            config -> spark,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC())
        .execute(all.toArray(new String[0]));
  }

  private Row last() {
    List<Row> runs =
        new RunLog(spark, warehouse + "/_ops/run_log")
            .read()
            .where(col("job").equalTo("demo-silver-copy"))
            .orderBy("start_time")
            .collectAsList();
    return runs.get(runs.size() - 1);
  }

  private void appendSource(long rows) {
    spark
        .range(rows)
        .write()
        .format("delta")
        .mode("append")
        .save(warehouse + "/bronze/demo/source");
  }

  private long copyVersion() {
    return DeltaLog.forTable(spark, warehouse + "/silver/demo/copy")
        .update(false, Option.empty(), Option.empty())
        .version();
  }

  private void assertRan(String because) {
    assertThat(run("demo-silver-copy")).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(last().<String>getAs("status")).isEqualTo("succeeded");
    assertThat(last().<String>getAs("details")).contains("\"ran_because\":\"" + because + "\"");
  }

  private void assertSkipped(String... settings) {
    long before = copyVersion();
    List<String> args = new ArrayList<>(List.of("demo-silver-copy"));
    args.addAll(List.of(settings));
    assertThat(run(args.toArray(new String[0]))).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(last().<String>getAs("status")).isEqualTo("skipped");
    assertThat(last().<String>getAs("details")).contains("\"reason\":\"inputs unchanged\"");
    assertThat(last().<Long>getAs("rows_read")).isZero();
    assertThat(copyVersion()).isEqualTo(before);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .matches("\\[1/1\\] demo-silver-copy  skipped  [0-9.]+s  inputs unchanged\\R");
  }

  @Test
  void onlyWhatMovedRunsAJob() {
    appendSource(3);
    assertRan("no earlier successful run");
    assertSkipped();

    appendSource(2);
    assertRan("input bronze.demo.source moved");
    assertThat(last().<Long>getAs("rows_read")).isEqualTo(5L);
    assertSkipped();

    // How and where jobs run is not what they compute: nothing to do.
    assertSkipped("--set", "pipeline.max-parallel-jobs=1", "--set", "jobs.timeout=1h");
    assertSkipped("--set", "jobs.leases=false", "--set", "report.html=" + path("page.html"));
    assertSkipped("--set", "spark.conf.spark.scheduler.mode=FIFO");
    assertSkipped(
        "--set", "gold.incremental-min-input-rows=7", "--set", "gold.incremental-max-fraction=1");

    assertThat(run("demo-silver-copy", "--set", "gold.fiscal-year-start-month=4")).isZero();
    assertThat(last().<String>getAs("details"))
        .contains("\"ran_because\":\"configuration or run date changed\"");
    assertThat(run("demo-silver-copy", "--run-date", "2024-01-02")).isZero();
    assertThat(last().<String>getAs("details"))
        .contains("\"ran_because\":\"configuration or run date changed\"");

    assertRan("configuration or run date changed");
    assertSkipped();

    // Someone rewrote the output: the job's last run no longer describes it.
    spark.range(1).write().format("delta").mode("overwrite").save(warehouse + "/silver/demo/copy");
    assertRan("an output changed since the last run");
    assertThat(spark.read().format("delta").load(warehouse + "/silver/demo/copy").count())
        .isEqualTo(5);
    assertSkipped();

    assertThat(run("demo-silver-copy", "--full-refresh")).isZero();
    assertThat(last().<String>getAs("details")).contains("\"ran_because\":\"full refresh\"");
    assertSkipped();
  }
}
