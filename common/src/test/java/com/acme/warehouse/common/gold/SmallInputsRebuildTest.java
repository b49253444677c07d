package com.acme.warehouse.common.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.cli.Cli;
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
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * An incremental gold job whose inputs hold fewer rows than {@code gold.incremental-min-input-rows}
 * rebuilds whole, says why, and writes what recomputing in part writes; at or above the minimum it
 * recomputes in part.
 */
class SmallInputsRebuildTest extends SparkTestBase {
  private static final TableId SOURCE = TableId.parse("silver.demo.events");
  private static final TableId FACTS = TableId.parse("gold.demo.fct_events");
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final String warehouse = path("small-inputs");

  /**
   * One gold job: a fact per event, recomputed for the events that changed (the events are written
   * by the test; their job does nothing).
   */
  private static JobRegistry registry(com.typesafe.config.Config config) {
    return new JobRegistry(
        List.of(
            JobDefinition.builder("demo-silver-events")
                .layer(Layer.SILVER)
                .domain("demo")
                .inputs("raw.demo.events")
                .outputs(List.of(SOURCE))
                .factory((c, app) -> context -> JobResult.builder().build())
                .build(),
            JobDefinition.builder("demo-gold-facts")
                .layer(Layer.GOLD)
                .domain("demo")
                .inputs(List.of(SOURCE))
                .outputs(List.of(FACTS))
                .factory(
                    (c, app) ->
                        context -> {
                          Increment increment =
                              Increment.of(context, List.of(SOURCE), List.of(FACTS));
                          JobResult.Builder result = increment.result();
                          UnaryOperator<Dataset<Row>> facts =
                              rows -> rows.withColumn("doubled", col("n").multiply(2));
                          increment.rewrite(
                              FACTS,
                              "id",
                              "at",
                              context.read(SOURCE),
                              increment.changedKeys(SOURCE, "id"),
                              facts,
                              result);
                          return result.build();
                        })
                .build()));
  }

  private String run(String... settings) {
    List<String> all = new ArrayList<>(List.of("demo-gold-facts"));
    all.addAll(List.of(settings));
    all.addAll(List.of("--set", "paths.warehouse=" + warehouse, "--set", "paths.raw=" + path("r")));
    // Recompute in place however large the share: the point is the input size.
    all.addAll(List.of("--set", "gold.incremental-max-fraction=1", "--set", "jobs.leases=false"));
    int code =
        new Cli(
                "warehouse",
                SmallInputsRebuildTest::registry,
                ConfigLoader.fromDirectory(java.nio.file.Path.of("..", "conf")),
                config -> spark,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC())
            .execute(all.toArray(new String[0]));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<Row> runs =
        new RunLog(spark, warehouse + "/_ops/run_log")
            .read()
            .where(col("job").equalTo("demo-gold-facts"))
            .orderBy("start_time")
            .collectAsList();
    return runs.get(runs.size() - 1).getAs("details");
  }

  /** Events {@code from} until {@code until}, id i at minute i with {@code n} = {@code n}. */
  private void writeEvents(long from, long until, long n, String mode) {
    spark
        .range(from, until)
        .select(
            col("id"),
            timestamp_seconds(col("id").multiply(60)).as("at"),
            col("id").multiply(0).plus(n).as("n"))
        .write()
        .format("delta")
        .mode(mode)
        .option(ChangeFeed.PROPERTY, "true")
        .save(warehouse + "/silver/demo/events");
  }

  private Dataset<Row> facts() {
    return spark.read().format("delta").load(warehouse + "/gold/demo/fct_events");
  }

  @Test
  void smallInputsRebuildWholeAndLargerOnesRecomputeInPart() {
    writeEvents(0, 100, 1, "overwrite");
    assertThat(run()).contains("\"fct_events_mode\":\"full\"").doesNotContain("rebuilt_because");

    // 102 rows now, under a minimum of 1,000: rebuilt, saying why.
    writeEvents(100, 102, 1, "append");
    assertThat(run("--set", "gold.incremental-min-input-rows=1000"))
        .contains(
            "\"rebuilt_because\":\"inputs hold 102 rows, fewer than"
                + " gold.incremental-min-input-rows = 1000\"",
            "\"fct_events_mode\":\"full\"");
    assertSameRows(
        spark
            .read()
            .format("delta")
            .load(warehouse + "/silver/demo/events")
            .withColumn("doubled", col("n").multiply(2)),
        facts());

    // At the minimum (104 rows): the two new events only.
    writeEvents(102, 104, 5, "append");
    assertThat(run("--set", "gold.incremental-min-input-rows=104"))
        .contains("\"fct_events_mode\":\"incremental\"", "\"fct_events_recomputed\":2")
        .doesNotContain("rebuilt_because");
    assertThat(facts().count()).isEqualTo(104);
    assertThat(facts().where("id >= 102").select("doubled").distinct().collectAsList())
        .extracting(row -> row.getLong(0))
        .containsExactly(10L);
  }
}
