package com.acme.warehouse.common.quality;

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
import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The quality gate inside a pipeline: silver writes users, gold counts them. A failed {@code error}
 * check on silver stops the pipeline before gold; a {@code warn} is recorded and gold runs.
 */
class QualityGateTest extends SparkTestBase {
  private static final String NOT_NULL = "[{type = not_null, columns = [id], severity = %s}]";
  private String warehouse;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void warehouse(TestInfo test) {
    warehouse = path("warehouse-" + test.getTestMethod().orElseThrow().getName());
  }

  private static JobRegistry registry(com.typesafe.config.Config config) {
    return new JobRegistry(
        List.of(
            JobDefinition.builder("q-silver-users")
                .layer(Layer.SILVER)
                .domain("q")
                .inputs("raw.q.users")
                .outputs("silver.q.users")
                .factory(
                    (c, app) ->
                        context -> {
                          df(
                                  "id BIGINT, name STRING",
                                  "{\"id\":1,\"name\":\"a\"}",
                                  "{\"name\":\"no id\"}")
                              .write()
                              .format("delta")
                              .mode("overwrite")
                              .save(context.location(TableId.parse("silver.q.users")));
                          return JobResult.builder().rowsRead(2).rowsWritten(2).build();
                        })
                .build(),
            JobDefinition.builder("q-gold-count")
                .layer(Layer.GOLD)
                .domain("q")
                .inputs("silver.q.users")
                .outputs("gold.q.count")
                .factory(
                    (c, app) ->
                        context -> {
                          context
                              .spark()
                              .read()
                              .format("delta")
                              .load(context.location(TableId.parse("silver.q.users")))
                              .groupBy()
                              .count()
                              .write()
                              .format("delta")
                              .mode("overwrite")
                              .save(context.location(TableId.parse("gold.q.count")));
                          return JobResult.builder().rowsWritten(1).build();
                        })
                .build()));
  }

  private int run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--set";
    all[args.length + 1] = "paths.warehouse=" + warehouse;
    return new Cli(
            "warehouse",
            QualityGateTest::registry,
            ConfigLoader.fromDirectory(Path.of("..", "conf")),
            config -> spark,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC())
        .execute(all);
  }

  /** The declared checks' results (the anomaly watch on row counts records its own). */
  private List<Row> results() {
    return new QualityResults(spark, warehouse + "/_ops/quality_results")
        .read()
        .where("check_type <> 'anomaly'")
        .collectAsList();
  }

  @Test
  void aFailedErrorCheckStopsThePipelineBeforeAnythingDownstream() {
    int code =
        run(
            "pipeline",
            "--set",
            "quality.tables.\"silver.q.users\".checks=" + String.format(NOT_NULL, "error"));

    assertThat(code).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "table silver.q.users: check not_null(id) failed: 1 of 2 rows have a null in [id]; e.g. {\"name\":\"no id\"}");
    assertThat(DeltaTable.isDeltaTable(spark, warehouse + "/gold/q/count"))
        .as("gold untouched")
        .isFalse();
    assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("q-gold-count\\s+not run");
    Row silver =
        new RunLog(spark, warehouse + "/_ops/run_log")
            .read()
            .where("job = 'q-silver-users'")
            .head();
    assertThat(silver.<String>getAs("status")).isEqualTo("failed");
    assertThat(results())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.<String>getAs("table_id")).isEqualTo("silver.q.users");
              assertThat(r.<String>getAs("check")).isEqualTo("not_null(id)");
              assertThat(r.<String>getAs("severity")).isEqualTo("error");
              assertThat(r.<String>getAs("status")).isEqualTo("failed");
              assertThat(r.<Long>getAs("offending")).isEqualTo(1L);
              assertThat(r.getList(r.fieldIndex("sample"))).containsExactly("{\"name\":\"no id\"}");
            });
  }

  @Test
  void aFailedWarnCheckIsRecordedAndThePipelineGoesOn() {
    int code =
        run(
            "pipeline",
            "--set",
            "quality.tables.\"silver.q.users\".checks=" + String.format(NOT_NULL, "warn"));

    assertThat(code).isEqualTo(0);
    assertThat(DeltaTable.isDeltaTable(spark, warehouse + "/gold/q/count")).isTrue();
    assertThat(results())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.<String>getAs("severity")).isEqualTo("warn");
              assertThat(r.<String>getAs("status")).isEqualTo("failed");
            });
    Row silver =
        new RunLog(spark, warehouse + "/_ops/run_log")
            .read()
            .where("job = 'q-silver-users'")
            .head();
    assertThat(silver.<String>getAs("details"))
        .contains(
            "\"quality\":{\"checks\":2,\"failed\":1,\"findings\":[\"silver.q.users not_null(id): 1 of 2 rows have a null in [id]\"]}");
  }

  @Test
  void rowCountsAreWatchedForAnomaliesOnceThereIsHistory() {
    String history = "quality.anomalies.min-history=2";
    for (int i = 0; i < 3; i++) {
      assertThat(run("q-silver-users", "--set", history)).isEqualTo(0);
    }

    List<Row> anomalies =
        new QualityResults(spark, warehouse + "/_ops/quality_results")
            .read()
            .where("check_type = 'anomaly'")
            .orderBy("checked_at")
            .collectAsList();
    assertThat(anomalies)
        .extracting(r -> r.<String>getAs("status"))
        .containsExactly("skipped", "skipped", "passed");
    assertThat(anomalies.get(2).<String>getAs("detail"))
        .isEqualTo("2 inside [1.93, 2.07] (median 2 of the last 2)");
  }

  @Test
  void theReportPrintsTheLatestResultsAndWritesAnHtmlPage() throws IOException {
    run(
        "pipeline",
        "--set",
        "quality.tables.\"silver.q.users\".checks=" + String.format(NOT_NULL, "warn"));
    out.reset();
    Path html = tempDir.resolve("quality.html");

    int code =
        new Cli(
                "warehouse",
                config -> new JobRegistry(List.of(QualityReportJob.definition())),
                ConfigLoader.fromDirectory(Path.of("..", "conf")),
                config -> spark,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC())
            .execute(
                "quality-report",
                "--html",
                html.toString(),
                "--set",
                "paths.warehouse=" + warehouse);

    assertThat(code).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .containsPattern("TABLE\\s+CHECK\\s+SEVERITY\\s+STATUS\\s+OFFENDING\\s+DETAIL")
        .containsPattern(
            "silver.q.users\\s+not_null\\(id\\)\\s+warn\\s+failed\\s+1\\s+1 of 2 rows have a null in \\[id\\]");
    String page = Files.readString(html);
    assertThat(page).contains("<h2>silver.q.users</h2>").contains("<svg").contains("1 failed");
  }
}
